namespace Orleans.AdClicks.Models;

/// <summary>An ad: where its clicks are redirected and whose counts it owns.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.ad")]
public sealed record AdInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid CampaignId,
    [property: Id(2)] Guid AdvertiserId,
    [property: Id(3)] string Name,
    [property: Id(4)] string TargetUrl,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] AdStatus Status = AdStatus.Active,
    [property: Id(7)] AdCreative? Creative = null,
    [property: Id(8)] DateTimeOffset? UpdatedAt = null);
