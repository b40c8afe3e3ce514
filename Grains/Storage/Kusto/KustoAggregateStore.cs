using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// The aggregate store of a silo on Azure Data Explorer: reads through <see cref="KustoAggregateQueries"/>, writes
/// through this process's <see cref="KustoMinuteCountWriter"/>. An ad shard's latest version is the higher of what ADX
/// holds and what still waits in the writer, so a grain that reactivates before its last rows were ingested still
/// writes above them. Its hourly breakdown rows carry the same versions, so their highest (stored or waiting in
/// <paramref name="breakdownWriter"/>) counts too.
/// </summary>
public sealed class KustoAggregateStore(
    KustoAggregateQueries queries,
    KustoMinuteCountWriter writer,
    KustoBreakdownQueries? breakdownQueries = null,
    KustoHourBreakdownWriter? breakdownWriter = null) : IAggregateQueries
{
    public Task<IReadOnlyList<BucketCount>> QuerySeriesAsync(AnalyticsTenant tenant, SeriesScope scope, DateTimeOffset from, DateTimeOffset to, Granularity granularity, CancellationToken cancellationToken = default) =>
        queries.QuerySeriesAsync(tenant, scope, from, to, granularity, cancellationToken);

    public Task<IReadOnlyList<AdTotal>> QueryTopAdsAsync(AnalyticsTenant tenant, TopAdsQuery query, CancellationToken cancellationToken = default) =>
        queries.QueryTopAdsAsync(tenant, query, cancellationToken);

    public async Task<long?> ReadLatestVersionAsync(AdKey key, CancellationToken cancellationToken = default)
    {
        var stored = queries.ReadLatestVersionAsync(key, cancellationToken);
        var breakdowns = breakdownQueries?.ReadLatestBreakdownVersionAsync(key, cancellationToken) ?? Task.FromResult<long?>(null);
        var read = await Task.WhenAll(stored, breakdowns).ConfigureAwait(false);
        long?[] versions = [read[0], writer.PendingLatestVersion(key), read[1], breakdownWriter?.PendingLatestVersion(key)];
        return versions.Max();
    }

    public Task<IReadOnlyList<MinuteCountRow>> ReadHourAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken = default) =>
        queries.ReadHourAsync(hour, slice, cancellationToken);
}
