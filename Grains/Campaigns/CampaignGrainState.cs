namespace Orleans.AdClicks.Campaigns;

/// <summary>The persisted campaign and the ids of its ads.</summary>
[GenerateSerializer, Alias("adclicks.campaign-state")]
public sealed class CampaignGrainState
{
    [Id(0)] public Guid AdvertiserId { get; set; }

    [Id(1)] public string Name { get; set; } = "";

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    [Id(3)] public List<Guid> AdIds { get; set; } = [];
}
