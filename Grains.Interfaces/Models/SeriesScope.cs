namespace Orleans.AdClicks.Models;

/// <summary>Whose counts a series sums: one ad (all its shards) or every ad of one campaign.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.series-scope")]
public sealed record SeriesScope([property: Id(0)] Guid? AdId, [property: Id(1)] Guid? CampaignId)
{
    public static SeriesScope Ad(Guid adId) => new(adId, null);

    public static SeriesScope Campaign(Guid campaignId) => new(null, campaignId);
}
