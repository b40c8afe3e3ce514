namespace Orleans.AdClicks.Models;

/// <summary>An ad: where its clicks are redirected and whose counts it owns.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.ad")]
public sealed record AdInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid CampaignId,
    [property: Id(2)] Guid AdvertiserId,
    [property: Id(3)] string Name,
    [property: Id(4)] string TargetUrl,
    [property: Id(5)] DateTimeOffset CreatedAt);
