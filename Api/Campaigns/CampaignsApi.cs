using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.AdClicks.Api.Ads;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Campaigns;

/// <summary>/api/campaigns: an advertiser's campaigns and the ads in them.</summary>
public static class CampaignsApi
{
    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/campaigns").RequireAuthorization().WithTags("Campaigns");
        api.MapPost("/", CreateAsync).WithName("CreateCampaign").WithSummary("Creates a campaign.");
        api.MapGet("/", ListAsync).WithName("ListCampaigns").WithSummary("Lists the caller's campaigns (all, for the admin).");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetCampaign").WithSummary("Gets a campaign.");
        api.MapPost("/{id:guid}/ads", CreateAdAsync).WithName("CreateAd").WithSummary("Creates an ad in a campaign.");
        api.MapGet("/{id:guid}/ads", ListAdsAsync).WithName("ListAds").WithSummary("Lists a campaign's ads.");
        return app;
    }

    /// <summary>The campaign when it exists and the caller owns it; others' campaigns do not exist for the caller.</summary>
    public static async Task<CampaignInfo?> FindOwnedAsync(IGrainFactory grains, CurrentAdvertiser caller, Guid id)
    {
        var campaign = await grains.GetGrain<ICampaignGrain>(id).GetAsync();
        return campaign is not null && caller.Owns(campaign.AdvertiserId) ? campaign : null;
    }

    private static async Task<Results<Created<CampaignDto>, ValidationProblem>> CreateAsync(
        CreateCampaignRequest request, CurrentAdvertiser caller, IGrainFactory grains)
    {
        var validation = new Validation();
        var name = validation.Text("name", request.Name);
        var advertiserId = caller.AdvertiserId ?? request.AdvertiserId;
        if (caller.IsAdmin && request.AdvertiserId is null)
        {
            validation.Add("advertiserId", "'advertiserId' is required when the admin creates a campaign.");
        }
        else if (!caller.IsAdmin && request.AdvertiserId is { } other && other != caller.AdvertiserId)
        {
            validation.Add("advertiserId", "'advertiserId' can only be the caller's own.");
        }
        else if (caller.IsAdmin && await grains.GetGrain<IAdvertiserGrain>(advertiserId!.Value).GetAsync() is null)
        {
            validation.Add("advertiserId", "No advertiser has this id.");
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var id = Guid.NewGuid();
        var campaign = await grains.GetGrain<ICampaignGrain>(id).CreateAsync(advertiserId!.Value, name);
        return TypedResults.Created($"/api/campaigns/{id}", campaign.ToDto());
    }

    private static async Task<Ok<CampaignListDto>> ListAsync(CurrentAdvertiser caller, IGrainFactory grains)
    {
        var advertisers = caller.AdvertiserId is { } own
            ? [own]
            : await grains.GetGrain<IAdvertiserDirectoryGrain>(0).ListAsync();
        var campaignIds = await Task.WhenAll(advertisers.Select(a => grains.GetGrain<IAdvertiserGrain>(a).ListCampaignsAsync()));
        var campaigns = await Task.WhenAll(campaignIds.SelectMany(ids => ids).Select(id => grains.GetGrain<ICampaignGrain>(id).GetAsync()));
        return TypedResults.Ok(new CampaignListDto([.. campaigns.OfType<CampaignInfo>().Select(c => c.ToDto())]));
    }

    private static async Task<Results<Ok<CampaignDto>, NotFound>> GetAsync(Guid id, CurrentAdvertiser caller, IGrainFactory grains) =>
        await FindOwnedAsync(grains, caller, id) is { } campaign ? TypedResults.Ok(campaign.ToDto()) : TypedResults.NotFound();

    private static async Task<Results<Created<AdDto>, NotFound, ValidationProblem>> CreateAdAsync(
        Guid id, CreateAdRequest request, CurrentAdvertiser caller, IGrainFactory grains)
    {
        if (await FindOwnedAsync(grains, caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        var validation = new Validation();
        var name = validation.Text("name", request.Name);
        var targetUrl = validation.HttpUrl("targetUrl", request.TargetUrl);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var ad = await grains.GetGrain<ICampaignGrain>(id).CreateAdAsync(name, targetUrl);
        return TypedResults.Created($"/api/ads/{ad.Id}", ad.ToDto());
    }

    private static async Task<Results<Ok<AdListDto>, NotFound>> ListAdsAsync(Guid id, CurrentAdvertiser caller, IGrainFactory grains)
    {
        if (await FindOwnedAsync(grains, caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        var ads = await grains.GetGrain<ICampaignGrain>(id).ListAdsAsync();
        return TypedResults.Ok(new AdListDto([.. ads.Select(a => a.ToDto())]));
    }
}
