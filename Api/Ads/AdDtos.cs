using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Ads;

public sealed record CreativeDto(string? Title, string? ImageUrl);

/// <summary>A new ad, or the replacement of an ad's name, target URL and creative.</summary>
public sealed record AdRequest(string? Name, string? TargetUrl, CreativeDto? Creative);

/// <summary>
/// The replacement of an ad's name, target URL and creative. The rest of what GET returns may come back:
/// <see cref="Id"/>, <see cref="CampaignId"/> and <see cref="Status"/> must be the ad's own (they are read-only),
/// the server's times are ignored.
/// </summary>
public sealed record UpdateAdRequest(
    string? Name,
    string? TargetUrl,
    CreativeDto? Creative,
    Guid? Id = null,
    Guid? CampaignId = null,
    string? Status = null,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? UpdatedAt = null);

public sealed record AdDto(
    Guid Id,
    Guid CampaignId,
    string Name,
    string TargetUrl,
    string Status,
    CreativeDto? Creative,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UpdatedAt);

public sealed record AdListDto(IReadOnlyList<AdDto> Items, int Page, int PageSize, long Total);

/// <summary>One placement of an ad: the signed token and the beacon URLs that carry it.</summary>
public sealed record ImpressionDto(Guid ImpressionId, string Token, string ClickUrl, string ViewUrl, DateTimeOffset ExpiresAt);

/// <summary>Placements of one ad from one call, each with its own impression id.</summary>
public sealed record ImpressionBatchDto(IReadOnlyList<ImpressionDto> Items);

public static class AdDtoExtensions
{
    public static AdDto ToDto(this AdInfo ad) => new(
        ad.Id,
        ad.CampaignId,
        ad.Name,
        ad.TargetUrl,
        ad.Status.ApiName(),
        ad.Creative is { } creative ? new CreativeDto(creative.Title, creative.ImageUrl) : null,
        ad.CreatedAt,
        ad.UpdatedAt);
}
