using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Aggregates.Queries;

namespace Orleans.AdClicks.Api.Analytics;

/// <summary>
/// Where the Api reads breakdowns: the aggregate store itself when this process can reach it, else the
/// BreakdownAnalyticsGrain in a silo, as <see cref="AnalyticsReader"/> reads series.
/// </summary>
public sealed class BreakdownReader(IBreakdownQueries? store, IGrainFactory grains)
{
    /// <summary>The tenant's billable counts of the scope per value in the whole UTC hours [from, to), most clicks first.</summary>
    public Task<IReadOnlyList<BreakdownTotal>> QueryAsync(AnalyticsTenant tenant, SeriesScope scope, BreakdownDimension dimension, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        store is not null
            ? store.QueryBreakdownAsync(new BreakdownQuery(tenant, scope, dimension, from, to), cancellationToken)
            : grains.GetGrain<IBreakdownAnalyticsGrain>(0).QueryBreakdownAsync(tenant, scope, dimension, from, to);
}
