namespace Orleans.AdClicks.Models;

/// <summary>Whose counts a series sums: one ad (all its shards), every ad of one campaign, or every ad of one advertiser.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.series-scope")]
public sealed record SeriesScope([property: Id(0)] Guid? AdId, [property: Id(1)] Guid? CampaignId, [property: Id(2)] Guid? AdvertiserId = null)
{
    public static SeriesScope Ad(Guid adId) => new(adId, null);

    public static SeriesScope Campaign(Guid campaignId) => new(null, campaignId);

    public static SeriesScope Advertiser(Guid advertiserId) => new(null, null, advertiserId);
}
