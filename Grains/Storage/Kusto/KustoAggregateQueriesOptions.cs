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
    /// One of the 16 pieces of reconciliation's hour of one slice (<see cref="Orleans.AdClicks.Storage.Aggregates.Queries.AggregateQuery.HourPiece"/>).
    /// With 2 million ads a slice holds about 7,800 (1/256) and a piece about 490 (1/16 of that); an ad has a row per
    /// shard and minute it counted in, so a piece is 490 × 60 ≈ 29,000 rows when every ad counted every minute. The cap
    /// of 125,000 rows leaves room for 4 shards per ad (and is the 2,000,000 the whole slice had, over 16). At ~190 bytes
    /// of JSON per row a capped piece is ~24 MB, well under the server's result size cap (truncationmaxsize, 64 MB by
    /// default, which the client does not raise), so the row cap always trips first; a whole slice (~90 MB) would not
    /// fit. A capped read fails (a <see cref="KustoException"/>) rather than return part of the hour, which would make
    /// reconciliation repair rows it never saw.
    /// </summary>
    public KustoQueryOptions HourRead { get; init; } = new() { ServerTimeout = TimeSpan.FromMinutes(2), MaxRecords = 125_000 };
}
