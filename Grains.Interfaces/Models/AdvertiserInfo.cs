namespace Orleans.AdClicks.Models;

/// <summary>An advertiser as the API shows it; the API key hash never leaves the grain.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.advertiser")]
public sealed record AdvertiserInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset CreatedAt);
