namespace Orleans.AdClicks.Models;

/// <summary>A campaign: the advertiser's container of ads.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.campaign")]
public sealed record CampaignInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid AdvertiserId,
    [property: Id(2)] string Name,
    [property: Id(3)] DateTimeOffset CreatedAt);
