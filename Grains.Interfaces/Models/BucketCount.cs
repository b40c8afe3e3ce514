namespace Orleans.AdClicks.Models;

/// <summary>Clicks and impressions counted in one time bucket.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.bucket-count")]
public sealed record BucketCount(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] long Clicks,
    [property: Id(2)] long Impressions);
