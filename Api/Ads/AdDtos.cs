using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Ads;

public sealed record CreateAdRequest(string? Name, string? TargetUrl);

public sealed record AdDto(Guid Id, Guid CampaignId, string Name, string TargetUrl, DateTimeOffset CreatedAt);

public sealed record AdListDto(IReadOnlyList<AdDto> Items);

/// <summary>One placement of an ad: the signed token and the beacon URLs that carry it.</summary>
public sealed record ImpressionDto(Guid ImpressionId, string Token, string ClickUrl, string ViewUrl, DateTimeOffset ExpiresAt);

public static class AdDtoExtensions
{
    public static AdDto ToDto(this AdInfo ad) => new(ad.Id, ad.CampaignId, ad.Name, ad.TargetUrl, ad.CreatedAt);
}
