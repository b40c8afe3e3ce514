using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Aggregates.Queries;
using Orleans.Concurrency;

namespace Orleans.AdClicks.Analytics;

/// <summary>Runs breakdown queries next to the aggregate store, for clients whose process cannot reach it; as many as needed per silo.</summary>
[StatelessWorker]
public sealed class BreakdownAnalyticsGrain(IBreakdownQueries breakdowns) : Grain, IBreakdownAnalyticsGrain
{
    public Task<IReadOnlyList<BreakdownTotal>> QueryBreakdownAsync(AnalyticsTenant tenant, SeriesScope scope, BreakdownDimension dimension, DateTimeOffset from, DateTimeOffset to) =>
        breakdowns.QueryBreakdownAsync(new BreakdownQuery(tenant, scope, dimension, from, to));
}
