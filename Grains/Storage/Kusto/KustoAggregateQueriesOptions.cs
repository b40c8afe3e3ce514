using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>The server timeout and row cap of each kind of aggregate read on Azure Data Explorer.</summary>
public sealed record KustoAggregateQueriesOptions
{
    /// <summary>
    /// Series, top ads and latest versions: an answer has at most 1,440 buckets (the Api's cap per series) or 100 ads,
    /// so a cap of 10,000 rows only ever stops a query that went wrong.
    /// </summary>
    public KustoQueryOptions Analytics { get; init; } = new() { ServerTimeout = TimeSpan.FromSeconds(30), MaxRecords = 10_000 };

    /// <summary>
    /// Reconciliation's hour of one slice: with 2 million ads a slice holds about 7,800 (1/256), and an ad has a row per
    /// shard and minute it counted in, so 7,800 × 60 ≈ 470,000 rows when every ad of the slice counted every minute,
    /// more with hot ads' shards: 2,000,000 leaves room for 4 shards per ad. A capped read fails (a <see cref="KustoException"/>)
    /// rather than return part of the hour, which would make reconciliation repair rows it never saw. The server also caps
    /// a result's size (truncationmaxsize, 64 MB by default), which the client does not raise: at ~190 bytes of JSON per
    /// row a full slice-hour (~90 MB) would fail on it, so a deployment that large needs that option too.
    /// </summary>
    public KustoQueryOptions HourRead { get; init; } = new() { ServerTimeout = TimeSpan.FromMinutes(2), MaxRecords = 2_000_000 };
}
