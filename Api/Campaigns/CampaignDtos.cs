using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Campaigns;

/// <summary>A new campaign; <see cref="AdvertiserId"/> only when the admin creates it; status "active" (default) or "draft".</summary>
public sealed record CreateCampaignRequest(
    string? Name,
    Guid? AdvertiserId,
    string? Status,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    long? TotalClickBudget,
    long? DailyClickCap);

/// <summary>
/// The campaign's settings, replaced whole; send If-Match with the ETag read to avoid losing another's change.
/// The rest of what GET returns may come back: <see cref="Id"/>, <see cref="AdvertiserId"/> and <see cref="Status"/>
/// must be the campaign's own (they are read-only), the server's times are ignored.
/// </summary>
public sealed record UpdateCampaignRequest(
    string? Name,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    long? TotalClickBudget,
    long? DailyClickCap,
    Guid? Id = null,
    Guid? AdvertiserId = null,
    string? Status = null,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? UpdatedAt = null,
    DateTimeOffset? BudgetSpentAt = null,
    DateOnly? DailyCapReachedOn = null);

public sealed record CampaignDto(
    Guid Id,
    Guid AdvertiserId,
    string Name,
    string Status,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    long? TotalClickBudget,
    long? DailyClickCap,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? BudgetSpentAt,
    DateOnly? DailyCapReachedOn);

/// <summary>A page of campaigns; <see cref="Total"/> counts every campaign of the list (of the status filtered on).</summary>
public sealed record CampaignListDto(IReadOnlyList<CampaignDto> Items, int Page, int PageSize, long Total);

public static class CampaignDtoExtensions
{
    public static CampaignDto ToDto(this CampaignInfo campaign) => new(
        campaign.Id,
        campaign.AdvertiserId,
        campaign.Name,
        campaign.Status.ApiName(),
        campaign.Settings.StartsAt,
        campaign.Settings.EndsAt,
        campaign.Settings.TotalClickBudget,
        campaign.Settings.DailyClickCap,
        campaign.CreatedAt,
        campaign.UpdatedAt,
        campaign.BudgetSpentAt,
        campaign.DailyCapReachedOn);

    /// <summary>The strong ETag of this version of the campaign.</summary>
    public static string ETag(this CampaignInfo campaign) => $"\"{campaign.Version}\"";
}
