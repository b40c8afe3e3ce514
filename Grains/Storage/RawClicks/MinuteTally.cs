using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// Billable clicks and impressions of one ad shard in one UTC minute, and its invalid clicks by reason
/// (<see cref="InvalidClickCounts.Counts(Events.AdEvent)"/>).
/// </summary>
public readonly record struct MinuteTally(DateTimeOffset Minute, long Clicks, long Impressions, InvalidClickCounts InvalidClicks = default)
{
    /// <summary>True when the minute has nothing counted in it.</summary>
    public bool IsEmpty => Clicks == 0 && Impressions == 0 && InvalidClicks.Total == 0;
}
