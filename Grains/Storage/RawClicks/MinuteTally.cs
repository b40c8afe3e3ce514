namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>Billable clicks and impressions of one ad shard in one UTC minute.</summary>
public readonly record struct MinuteTally(DateTimeOffset Minute, long Clicks, long Impressions);
