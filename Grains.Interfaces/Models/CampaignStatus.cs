namespace Orleans.AdClicks.Models;

/// <summary>Where a campaign is in its life; only an active one places ads.</summary>
[GenerateSerializer]
public enum CampaignStatus
{
    Draft,
    Active,
    Paused,
    Archived,
}
