namespace Orleans.AdClicks.Models;

/// <summary>One ad's totals over a time range, for top-ads: billable clicks and impressions, and invalid clicks by reason.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.ad-total")]
public sealed record AdTotal(
    [property: Id(0)] Guid AdId,
    [property: Id(1)] Guid CampaignId,
    [property: Id(2)] long Clicks,
    [property: Id(3)] long Impressions,
    [property: Id(4)] InvalidClickCounts InvalidClicks = default);
