namespace Orleans.AdClicks.Models;

/// <summary>The ads ranked by <see cref="Sort"/> in [From, To), optionally within one campaign or one advertiser.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.top-ads-query")]
public sealed record TopAdsQuery(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] int Limit,
    [property: Id(3)] Guid? CampaignId,
    [property: Id(4)] Guid? AdvertiserId,
    [property: Id(5)] TopAdsSort Sort = TopAdsSort.Clicks);
