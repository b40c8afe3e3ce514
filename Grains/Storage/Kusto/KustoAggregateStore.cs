using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// The aggregate store of a silo on Azure Data Explorer: reads through <see cref="KustoAggregateQueries"/>, writes
/// through this process's <see cref="KustoMinuteCountWriter"/>. An ad shard's latest version is the higher of what ADX
/// holds and what still waits in the writer, so a grain that reactivates before its last rows were ingested still
/// writes above them.
/// </summary>
public sealed class KustoAggregateStore(KustoAggregateQueries queries, KustoMinuteCountWriter writer) : IAggregateQueries
{
    public Task<IReadOnlyList<BucketCount>> QuerySeriesAsync(AnalyticsTenant tenant, SeriesScope scope, DateTimeOffset from, DateTimeOffset to, Granularity granularity, CancellationToken cancellationToken = default) =>
        queries.QuerySeriesAsync(tenant, scope, from, to, granularity, cancellationToken);

    public Task<IReadOnlyList<AdTotal>> QueryTopAdsAsync(AnalyticsTenant tenant, TopAdsQuery query, CancellationToken cancellationToken = default) =>
        queries.QueryTopAdsAsync(tenant, query, cancellationToken);

    public async Task<long?> ReadLatestVersionAsync(AdKey key, CancellationToken cancellationToken = default)
    {
        var stored = await queries.ReadLatestVersionAsync(key, cancellationToken).ConfigureAwait(false);
        return writer.PendingLatestVersion(key) is { } pending && pending > (stored ?? long.MinValue) ? pending : stored;
    }

    public Task<IReadOnlyList<MinuteCountRow>> ReadHourAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken = default) =>
        queries.ReadHourAsync(hour, slice, cancellationToken);
}
