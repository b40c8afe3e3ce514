using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Api.Tokens;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Ads;

/// <summary>/api/ads: read an ad, and place it (mint a signed token per impression).</summary>
public static class AdsApi
{
    /// <summary>Most tokens one batch placement call mints.</summary>
    public const int MaxImpressionBatch = 1_000;

    public static IEndpointRouteBuilder MapAdsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/ads").RequireAuthorization().WithTags("Ads");
        api.MapGet("/{adId:guid}", GetAsync).WithName("GetAd").WithSummary("Gets an ad.");
        api.MapPut("/{adId:guid}", UpdateAsync).WithName("UpdateAd").WithSummary("Replaces an ad's name, target URL and creative; beacons redirect to a new target within seconds.");
        api.MapPost("/{adId:guid}/pause", (Guid adId, CurrentAdvertiser caller, IGrainFactory grains) => SetStatusAsync(adId, AdStatus.Paused, caller, grains))
            .WithName("PauseAd").WithSummary("Stops placing the ad; clicks on placed tokens still count.");
        api.MapPost("/{adId:guid}/resume", (Guid adId, CurrentAdvertiser caller, IGrainFactory grains) => SetStatusAsync(adId, AdStatus.Active, caller, grains))
            .WithName("ResumeAd").WithSummary("Places a paused ad again.");
        api.MapDelete("/{adId:guid}", (Guid adId, CurrentAdvertiser caller, IGrainFactory grains) => SetStatusAsync(adId, AdStatus.Archived, caller, grains))
            .WithName("ArchiveAd").WithSummary("Archives an ad; nothing is deleted.");
        api.MapPost("/{adId:guid}/impressions", CreateImpressionAsync).WithName("CreateImpression")
            .WithSummary("Places the ad once: a signed token and the click and view URLs that carry it.");
        api.MapPost("/{adId:guid}/impressions/batch", CreateImpressionBatchAsync).WithName("CreateImpressionBatch")
            .WithSummary($"Places the ad count times (1 to {MaxImpressionBatch}) in one call: a token per impression, with the same checks.");
        return app;
    }

    /// <summary>The ad when it exists and the caller owns it.</summary>
    public static async Task<AdInfo?> FindOwnedAsync(IGrainFactory grains, CurrentAdvertiser caller, Guid adId)
    {
        var ad = await Grain(grains, adId).GetAsync();
        return ad is not null && caller.Owns(ad.AdvertiserId) ? ad : null;
    }

    private static async Task<Results<Ok<AdDto>, NotFound>> GetAsync(Guid adId, CurrentAdvertiser caller, IGrainFactory grains) =>
        await FindOwnedAsync(grains, caller, adId) is { } ad ? TypedResults.Ok(ad.ToDto()) : TypedResults.NotFound();

    private static async Task<Results<Ok<AdDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid adId, UpdateAdRequest request, CurrentAdvertiser caller, IGrainFactory grains, AdTargets targets)
    {
        if (await FindOwnedAsync(grains, caller, adId) is not { } current)
        {
            return TypedResults.NotFound();
        }

        var validation = new Validation();
        var settings = AdValidation.Settings(validation, new AdRequest(request.Name, request.TargetUrl, request.Creative));
        validation.ReadOnly("id", request.Id, current.Id, "it is the ad's id in the URL");
        validation.ReadOnly("campaignId", request.CampaignId, current.CampaignId, "an ad stays in its campaign");
        validation.ReadOnly("status", request.Status, current.Status.ApiName(), "POST /pause, /resume or DELETE change it");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var change = await Grain(grains, adId).UpdateAsync(settings);
        // This process redirects to the new target at once; other Api processes within AdTargets.RefreshAfter.
        targets.Invalidate(adId);
        return Answer(change);
    }

    private static async Task<Results<Ok<AdDto>, NotFound, ValidationProblem, ProblemHttpResult>> SetStatusAsync(
        Guid adId, AdStatus status, CurrentAdvertiser caller, IGrainFactory grains) =>
        await FindOwnedAsync(grains, caller, adId) is null ? TypedResults.NotFound() : Answer(await Grain(grains, adId).SetStatusAsync(status));

    private static Results<Ok<AdDto>, NotFound, ValidationProblem, ProblemHttpResult> Answer(AdChange change) => change.Outcome switch
    {
        ChangeOutcome.Changed => TypedResults.Ok(change.Ad!.ToDto()),
        ChangeOutcome.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible now", detail: change.Reason),
        _ => TypedResults.NotFound(),
    };

    private static IAdDefinitionGrain Grain(IGrainFactory grains, Guid adId) => grains.GetGrain<IAdDefinitionGrain>(adId);

    private static async Task<Results<Created<ImpressionDto>, NotFound, ProblemHttpResult>> CreateImpressionAsync(
        Guid adId, CurrentAdvertiser caller, [AsParameters] PlacementServices services, HttpResponse response)
    {
        var (ad, refusal) = await PlaceAsync(adId, 1, caller, services, response);
        if (refusal is not null)
        {
            return refusal;
        }

        return ad is null ? TypedResults.NotFound() : TypedResults.Created((string?)null, Impression(services.Tokens, ad));
    }

    private static async Task<Results<Created<ImpressionBatchDto>, NotFound, ProblemHttpResult, ValidationProblem>> CreateImpressionBatchAsync(
        Guid adId, int? count, CurrentAdvertiser caller, [AsParameters] PlacementServices services, HttpResponse response)
    {
        if (count is not (>= 1 and <= MaxImpressionBatch))
        {
            var validation = new Validation();
            validation.Add("count", $"'count' is a whole number from 1 to {MaxImpressionBatch}.");
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var (ad, refusal) = await PlaceAsync(adId, count.Value, caller, services, response);
        if (refusal is not null)
        {
            return refusal;
        }

        if (ad is null)
        {
            return TypedResults.NotFound();
        }

        var items = new ImpressionDto[count.Value];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = Impression(services.Tokens, ad);
        }

        return TypedResults.Created((string?)null, new ImpressionBatchDto(items));
    }

    /// <summary>
    /// The ad when <paramref name="count"/> tokens may be minted for it now; else why not (429 or 409),
    /// or neither when the caller has no such ad (404).
    /// </summary>
    private static async Task<(AdInfo? Ad, ProblemHttpResult? Refusal)> PlaceAsync(
        Guid adId, int count, CurrentAdvertiser caller, PlacementServices services, HttpResponse response)
    {
        // Before any grain call, so a flood of placements costs the cluster nothing.
        if (services.Limiter.TryAcquire(caller, count) is { } retryAfter)
        {
            return (null, RateLimitExtensions.TooManyRequests(response, retryAfter));
        }

        if (await FindOwnedAsync(services.Grains, caller, adId) is not { } ad)
        {
            return (null, null);
        }

        var campaign = await services.Grains.GetGrain<ICampaignGrain>(ad.CampaignId).GetAsync();
        var reason = ad.Status != AdStatus.Active ? $"The ad is {ad.Status.ApiName()}." : campaign?.RefusesPlacementAt(services.Time.GetUtcNow());
        return reason is null
            ? (ad, null)
            : (null, TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The ad cannot be placed now", detail: reason));
    }

    private static ImpressionDto Impression(ClickTokens tokens, AdInfo ad)
    {
        var (token, text) = tokens.Mint(ad.Id, ad.CampaignId);
        return new ImpressionDto(token.ImpressionId, text, $"/c/{text}", $"/v/{text}", token.ExpiresAt);
    }
}
