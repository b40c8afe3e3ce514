using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates.Queries;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>The read side of the hourly breakdowns, beside <see cref="IAggregateQueries"/> in every aggregate store.</summary>
public interface IBreakdownQueries
{
    /// <summary>The query's values with their summed clicks and impressions, most clicks first (ties: impressions, then value).</summary>
    Task<IReadOnlyList<BreakdownTotal>> QueryBreakdownAsync(BreakdownQuery query, CancellationToken cancellationToken = default);
}
