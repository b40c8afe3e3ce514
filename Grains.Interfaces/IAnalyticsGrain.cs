using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks;

/// <summary>Reads the aggregate store inside the silo, so clients need no access to it (a stateless worker).</summary>
public interface IAnalyticsGrain : IGrainWithIntegerKey
{
    /// <summary>Counts of the tenant's rows per bucket in [from, to), only buckets that have counts.</summary>
    Task<IReadOnlyList<BucketCount>> QuerySeriesAsync(AnalyticsTenant tenant, SeriesScope scope, DateTimeOffset from, DateTimeOffset to, Granularity granularity);

    /// <summary>The tenant's top ads by <see cref="TopAdsQuery.Sort"/>.</summary>
    Task<IReadOnlyList<AdTotal>> QueryTopAdsAsync(AnalyticsTenant tenant, TopAdsQuery query);
}
