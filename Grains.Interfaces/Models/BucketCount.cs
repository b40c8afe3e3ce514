namespace Orleans.AdClicks.Models;

/// <summary>Billable clicks and impressions counted in one time bucket, and its invalid clicks by reason.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.bucket-count")]
public sealed record BucketCount(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] long Clicks,
    [property: Id(2)] long Impressions,
    [property: Id(3)] InvalidClickCounts InvalidClicks = default);
