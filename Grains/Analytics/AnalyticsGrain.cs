using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.Concurrency;

namespace Orleans.AdClicks.Analytics;

/// <summary>
/// Runs analytics queries next to the aggregate store, for clients whose process cannot reach it
/// (the Api in client mode on the DuckDB file of a silo); as many as needed per silo.
/// </summary>
[StatelessWorker]
public sealed class AnalyticsGrain(IAggregateQueries aggregates) : Grain, IAnalyticsGrain
{
    public Task<IReadOnlyList<BucketCount>> QuerySeriesAsync(AnalyticsTenant tenant, SeriesScope scope, DateTimeOffset from, DateTimeOffset to, Granularity granularity) =>
        aggregates.QuerySeriesAsync(tenant, scope, from, to, granularity);

    public Task<IReadOnlyList<AdTotal>> QueryTopAdsAsync(AnalyticsTenant tenant, TopAdsQuery query) => aggregates.QueryTopAdsAsync(tenant, query);
}
