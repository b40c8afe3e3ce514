namespace Orleans.AdClicks.Models;

/// <summary>The billable clicks and impressions of one value of a breakdown's dimension over a range of hours.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.breakdown-total")]
public sealed record BreakdownTotal(
    [property: Id(0)] string Value,
    [property: Id(1)] long Clicks,
    [property: Id(2)] long Impressions);
