namespace Orleans.AdClicks.Models;

/// <summary>What the ad shows.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.ad-creative")]
public sealed record AdCreative([property: Id(0)] string? Title, [property: Id(1)] string? ImageUrl);
