using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Api.Analytics;

/// <summary>
/// Where the Api reads analytics: the aggregate store's query side itself when this process can reach it
/// (registered here, as a co-hosted silo registers its DuckDB file), else the AnalyticsGrain in a silo,
/// because a silo's DuckDB file belongs to that silo's process.
/// </summary>
public sealed class AnalyticsReader(IAggregateQueries? store, IGrainFactory grains)
{
    /// <summary>Counts of the tenant's rows per bucket in [from, to), only buckets that have counts.</summary>
    public Task<IReadOnlyList<BucketCount>> QuerySeriesAsync(AnalyticsTenant tenant, SeriesScope scope, DateTimeOffset from, DateTimeOffset to, Granularity granularity, CancellationToken cancellationToken) =>
        store is not null
            ? store.QuerySeriesAsync(tenant, scope, from, to, granularity, cancellationToken)
            : grains.GetGrain<IAnalyticsGrain>(0).QuerySeriesAsync(tenant, scope, from, to, granularity);

    /// <summary>The tenant's top ads by <see cref="TopAdsQuery.Sort"/>.</summary>
    public Task<IReadOnlyList<AdTotal>> QueryTopAdsAsync(AnalyticsTenant tenant, TopAdsQuery query, CancellationToken cancellationToken) =>
        store is not null
            ? store.QueryTopAdsAsync(tenant, query, cancellationToken)
            : grains.GetGrain<IAnalyticsGrain>(0).QueryTopAdsAsync(tenant, query);
}
