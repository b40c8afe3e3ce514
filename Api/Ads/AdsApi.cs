using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Tokens;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Ads;

/// <summary>/api/ads: read an ad, and place it (mint a signed token per impression).</summary>
public static class AdsApi
{
    public static IEndpointRouteBuilder MapAdsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/ads").RequireAuthorization().WithTags("Ads");
        api.MapGet("/{adId:guid}", GetAsync).WithName("GetAd").WithSummary("Gets an ad.");
        api.MapPost("/{adId:guid}/impressions", CreateImpressionAsync).WithName("CreateImpression")
            .WithSummary("Places the ad once: a signed token and the click and view URLs that carry it.");
        return app;
    }

    /// <summary>The ad when it exists and the caller owns it.</summary>
    public static async Task<AdInfo?> FindOwnedAsync(IGrainFactory grains, CurrentAdvertiser caller, Guid adId)
    {
        var ad = await grains.GetGrain<IAdGrain>(new AdKey(adId, 0).ToString()).GetAsync();
        return ad is not null && caller.Owns(ad.AdvertiserId) ? ad : null;
    }

    private static async Task<Results<Ok<AdDto>, NotFound>> GetAsync(Guid adId, CurrentAdvertiser caller, IGrainFactory grains) =>
        await FindOwnedAsync(grains, caller, adId) is { } ad ? TypedResults.Ok(ad.ToDto()) : TypedResults.NotFound();

    private static async Task<Results<Created<ImpressionDto>, NotFound, ProblemHttpResult>> CreateImpressionAsync(
        Guid adId, CurrentAdvertiser caller, IGrainFactory grains, ClickTokens tokens, TimeProvider time)
    {
        if (await FindOwnedAsync(grains, caller, adId) is not { } ad)
        {
            return TypedResults.NotFound();
        }

        var campaign = await grains.GetGrain<ICampaignGrain>(ad.CampaignId).GetAsync();
        if (campaign?.RefusesPlacementAt(time.GetUtcNow()) is { } reason)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The ad cannot be placed now", detail: reason);
        }

        var (token, text) = tokens.Mint(ad.Id, ad.CampaignId);
        return TypedResults.Created((string?)null, new ImpressionDto(token.ImpressionId, text, $"/c/{text}", $"/v/{text}", token.ExpiresAt));
    }
}
