using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Breakdowns;

/// <summary>One (hour, dimension, value) entry of <see cref="HourBreakdowns"/> that needs writing, with its absolute counts.</summary>
public readonly record struct DirtyBreakdown(DateTimeOffset Hour, BreakdownDimension Dimension, string Value, long Clicks, long Impressions);
