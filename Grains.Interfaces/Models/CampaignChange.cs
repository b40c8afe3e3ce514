namespace Orleans.AdClicks.Models;

/// <summary>The outcome of changing a campaign: the campaign as it now is, or why nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.campaign-change")]
public sealed record CampaignChange(
    [property: Id(0)] ChangeOutcome Outcome,
    [property: Id(1)] CampaignInfo? Campaign,
    [property: Id(2)] string? Reason = null);
