using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Campaigns;

/// <summary>The persisted campaign and the ids of its ads.</summary>
[GenerateSerializer, Alias("adclicks.campaign-state")]
public sealed class CampaignGrainState
{
    [Id(0)] public Guid AdvertiserId { get; set; }

    [Id(1)] public string Name { get; set; } = "";

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

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

    public void Apply(CampaignSettings settings)
    {
        Name = settings.Name;
        StartsAt = settings.StartsAt;
        EndsAt = settings.EndsAt;
        TotalClickBudget = settings.TotalClickBudget;
        DailyClickCap = settings.DailyClickCap;
    }
}
