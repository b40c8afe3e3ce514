using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>Billable clicks and impressions of one ad shard in one UTC hour with one value of one breakdown dimension.</summary>
public readonly record struct BreakdownTally(DateTimeOffset Hour, BreakdownDimension Dimension, string Value, long Clicks, long Impressions);
