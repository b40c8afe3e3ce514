using Orleans.AdClicks.Models;

namespace Orleans.AdClicks;

/// <summary>Reads the hourly breakdowns inside the silo, so clients need no access to the aggregate store (a stateless worker).</summary>
public interface IBreakdownAnalyticsGrain : IGrainWithIntegerKey
{
    /// <summary>The tenant's billable counts of the scope per value of <paramref name="dimension"/> in the whole UTC hours [from, to), most clicks first.</summary>
    Task<IReadOnlyList<BreakdownTotal>> QueryBreakdownAsync(AnalyticsTenant tenant, SeriesScope scope, BreakdownDimension dimension, DateTimeOffset from, DateTimeOffset to);
}
