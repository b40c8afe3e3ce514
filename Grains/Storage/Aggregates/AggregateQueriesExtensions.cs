using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>The system's own analytics reads (budgets, tests), over every advertiser's rows: <see cref="AnalyticsTenant.All"/>.</summary>
public static class AggregateQueriesExtensions
{
    /// <summary>Sums per bucket in [from, to) over every advertiser's rows.</summary>
    public static Task<IReadOnlyList<BucketCount>> QuerySeriesAsync(this IAggregateQueries queries, SeriesScope scope, DateTimeOffset from, DateTimeOffset to, Granularity granularity, CancellationToken cancellationToken = default) =>
        queries.QuerySeriesAsync(AnalyticsTenant.All, scope, from, to, granularity, cancellationToken);

    /// <summary>The ads with the most clicks over every advertiser's rows (<see cref="TopAdsQuery.AdvertiserId"/> still filters).</summary>
    public static Task<IReadOnlyList<AdTotal>> QueryTopAdsAsync(this IAggregateQueries queries, TopAdsQuery query, CancellationToken cancellationToken = default) =>
        queries.QueryTopAdsAsync(AnalyticsTenant.All, query, cancellationToken);
}
