using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Ads;

/// <summary>
/// The persisted definition of an ad, kept by <see cref="AdDefinitionGrain"/>. Named after the grain that first
/// stored it: the name and alias are part of stored records.
/// </summary>
[GenerateSerializer, Alias("adclicks.ad-state")]
public sealed class AdGrainState
{
    [Id(0)] public Guid CampaignId { get; set; }

    [Id(1)] public Guid AdvertiserId { get; set; }

    [Id(2)] public string Name { get; set; } = "";

    [Id(3)] public string TargetUrl { get; set; } = "";

    [Id(4)] public DateTimeOffset CreatedAt { get; set; }

    [Id(5)] public AdStatus Status { get; set; }

    [Id(6)] public AdCreative? Creative { get; set; }

    [Id(7)] public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>
    /// Where the ad is in its campaign's list (<see cref="Lists.IdLists.AdsOf"/>), to retag it there on a status change;
    /// null for an ad listed before ads had positions, found in the list on its first change.
    /// </summary>
    [Id(8)] public long? ListPosition { get; set; }
}
