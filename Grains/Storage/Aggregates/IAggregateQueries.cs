using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// The read side of the aggregate store: what analysts, budgets and reconciliation query. The Api calls it
/// directly when its process can reach the store, else through the AnalyticsGrain in a silo. Each read is an
/// <see cref="Queries.AggregateQuery"/> that the store renders to its own language; an analytics read carries its
/// <see cref="AnalyticsTenant"/>, and an advertiser's reads only ever see that advertiser's rows.
/// </summary>
public interface IAggregateQueries
{
    /// <summary>Sums over shards (and ads, for a campaign or an advertiser) per bucket in [from, to) of the tenant's rows; empty buckets are left out.</summary>
    Task<IReadOnlyList<BucketCount>> QuerySeriesAsync(AnalyticsTenant tenant, SeriesScope scope, DateTimeOffset from, DateTimeOffset to, Granularity granularity, CancellationToken cancellationToken = default);

    /// <summary>The tenant's top ads in the range by <see cref="TopAdsQuery.Sort"/> (ties: more clicks, more impressions, then ad id).</summary>
    Task<IReadOnlyList<AdTotal>> QueryTopAdsAsync(AnalyticsTenant tenant, TopAdsQuery query, CancellationToken cancellationToken = default);

    /// <summary>The highest version of any row of the ad shard <paramref name="key"/>, or null when it has none.</summary>
    Task<long?> ReadLatestVersionAsync(AdKey key, CancellationToken cancellationToken = default);

    /// <summary>Every row of the ads of <paramref name="slice"/> (see <see cref="AdSlice"/>) in the UTC hour starting at <paramref name="hour"/>.</summary>
    Task<IReadOnlyList<MinuteCountRow>> ReadHourAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken = default);
}
