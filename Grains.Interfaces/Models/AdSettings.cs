namespace Orleans.AdClicks.Models;

/// <summary>What an advertiser sets on an ad.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.ad-settings")]
public sealed record AdSettings(
    [property: Id(0)] string Name,
    [property: Id(1)] string TargetUrl,
    [property: Id(2)] AdCreative? Creative = null);
