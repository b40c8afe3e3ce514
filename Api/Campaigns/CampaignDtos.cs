using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Campaigns;

/// <summary>A new campaign; <see cref="AdvertiserId"/> only when the admin creates it.</summary>
public sealed record CreateCampaignRequest(string? Name, Guid? AdvertiserId);

public sealed record CampaignDto(Guid Id, Guid AdvertiserId, string Name, DateTimeOffset CreatedAt);

public sealed record CampaignListDto(IReadOnlyList<CampaignDto> Items);

public static class CampaignDtoExtensions
{
    public static CampaignDto ToDto(this CampaignInfo campaign) =>
        new(campaign.Id, campaign.AdvertiserId, campaign.Name, campaign.CreatedAt);
}
