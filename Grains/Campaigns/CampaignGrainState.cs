using Orleans.AdClicks.Lists;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Campaigns;

/// <summary>The persisted campaign; its ads are in the id list <see cref="IdLists.AdsOf"/>, not here, so this stays small.</summary>
[GenerateSerializer, Alias("adclicks.campaign-state")]
public sealed class CampaignGrainState
{
    [Id(0)] public Guid AdvertiserId { get; set; }

    [Id(1)] public string Name { get; set; } = "";

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Only in state written before the id lists (its name is that state's, for the JSON fallback too): the ads' ids,
    /// moved into <see cref="IdLists.AdsOf"/> on activation, then emptied.
    /// </summary>
    [Id(3)] public List<Guid> AdIds { get; set; } = [];

    [Id(4)] public CampaignStatus Status { get; set; }

    [Id(5)] public DateTimeOffset? StartsAt { get; set; }

    [Id(6)] public DateTimeOffset? EndsAt { get; set; }

    [Id(7)] public long? TotalClickBudget { get; set; }

    [Id(8)] public long? DailyClickCap { get; set; }

    [Id(9)] public DateTimeOffset UpdatedAt { get; set; }

    [Id(10)] public long Version { get; set; }

    [Id(11)] public DateTimeOffset? BudgetSpentAt { get; set; }

    [Id(12)] public DateOnly? DailyCapReachedOn { get; set; }

    /// <summary>Where the campaign is in its advertiser's list (<see cref="IdLists.CampaignsOf"/>), to retag it there on a status change.</summary>
    [Id(13)] public long? AdvertiserListPosition { get; set; }

    /// <summary>Where the campaign is in the list of all campaigns (<see cref="IdLists.AllCampaigns"/>).</summary>
    [Id(14)] public long? AllListPosition { get; set; }

    /// <summary>The end <see cref="WebhookEvents.Ended"/> was raised for; an end moved later is raised again when it passes.</summary>
    [Id(15)] public DateTimeOffset? EndRaisedFor { get; set; }

    public void Apply(CampaignSettings settings)
    {
        Name = settings.Name;
        StartsAt = settings.StartsAt;
        EndsAt = settings.EndsAt;
        TotalClickBudget = settings.TotalClickBudget;
        DailyClickCap = settings.DailyClickCap;
    }
}
