using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Orleans.AdClicks.Api.Ads;
using Orleans.AdClicks.Api.Advertisers;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Lists;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Campaigns;

/// <summary>/api/campaigns: an advertiser's campaigns, their lifecycle, and the ads in them.</summary>
public static class CampaignsApi
{
    public const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/campaigns").RequireAuthorization().WithTags("Campaigns");
        api.MapPost("/", CreateAsync).WithName("CreateCampaign").WithSummary("Creates a campaign, active unless status is draft.");
        api.MapGet("/", ListAsync).WithName("ListCampaigns").WithSummary("Lists the caller's campaigns (all, or one advertiser's, for the admin), a page at a time.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetCampaign").WithSummary("Gets a campaign; the ETag header is its version.");
        api.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateCampaign").WithSummary("Replaces a campaign's settings; If-Match guards against lost updates.");
        api.MapPost("/{id:guid}/pause", (Guid id, CurrentAdvertiser caller, IGrainFactory grains, HttpResponse response) =>
            SetStatusAsync(id, CampaignStatus.Paused, caller, grains, response)).WithName("PauseCampaign").WithSummary("Pauses an active campaign.");
        api.MapPost("/{id:guid}/resume", (Guid id, CurrentAdvertiser caller, IGrainFactory grains, HttpResponse response) =>
            SetStatusAsync(id, CampaignStatus.Active, caller, grains, response)).WithName("ResumeCampaign").WithSummary("Activates a draft or paused campaign.");
        api.MapDelete("/{id:guid}", (Guid id, CurrentAdvertiser caller, IGrainFactory grains, HttpResponse response) =>
            SetStatusAsync(id, CampaignStatus.Archived, caller, grains, response)).WithName("ArchiveCampaign").WithSummary("Archives a campaign; nothing is deleted.");
        api.MapPost("/{id:guid}/ads", CreateAdAsync).WithName("CreateAd").WithSummary("Creates an ad in a campaign.");
        api.MapGet("/{id:guid}/ads", ListAdsAsync).WithName("ListAds").WithSummary("Lists a campaign's ads, a page at a time.");
        return app;
    }

    /// <summary>The campaign when it exists and the caller owns it; others' campaigns do not exist for the caller.</summary>
    public static async Task<CampaignInfo?> FindOwnedAsync(IGrainFactory grains, CurrentAdvertiser caller, Guid id)
    {
        var campaign = await grains.GetGrain<ICampaignGrain>(id).GetAsync();
        return campaign is not null && caller.Owns(campaign.AdvertiserId) ? campaign : null;
    }

    private static async Task<Results<Created<CampaignDto>, ValidationProblem>> CreateAsync(
        CreateCampaignRequest request, CurrentAdvertiser caller, IGrainFactory grains, HttpResponse response)
    {
        var validation = new Validation();
        var settings = CampaignValidation.Settings(validation, request.Name, request.StartsAt, request.EndsAt, request.TotalClickBudget, request.DailyClickCap);
        var status = CampaignValidation.Status(validation, "status", request.Status, creating: true) ?? CampaignStatus.Active;
        var advertiserId = await validation.OwnerAsync(caller, request.AdvertiserId, grains, "creates a campaign");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var id = Guid.NewGuid();
        var campaign = await grains.GetGrain<ICampaignGrain>(id).CreateAsync(advertiserId!.Value, settings, status);
        response.Headers.ETag = campaign.ETag();
        return TypedResults.Created($"/api/campaigns/{id}", campaign.ToDto());
    }

    private static async Task<Results<Ok<CampaignListDto>, NotFound, ValidationProblem>> ListAsync(
        string? status, int? page, int? pageSize, string? advertiserId, CurrentAdvertiser caller, IGrainFactory grains)
    {
        var validation = new Validation();
        var owner = validation.OptionalId("advertiserId", advertiserId);
        if (owner is { } id && await AdvertisersApi.FindOwnedAsync(grains, caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        var filter = CampaignValidation.Status(validation, "status", status, creating: false);
        var (number, size) = validation.Page(page, pageSize, MaxPageSize);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        // The list's page names the campaigns to read: a page reads its own campaigns and one or two list pages,
        // never the rest. Its statuses are those the campaigns last reported, so each is checked against the campaign.
        var list = owner is { } advertiser ? IdLists.CampaignsOf(advertiser)
            : caller.IsAdmin ? IdLists.AllCampaigns
            : IdLists.CampaignsOf(caller.AdvertiserId!.Value);
        var ids = await grains.GetGrain<IIdListGrain>(list).ListAsync((number - 1L) * size, size, filter is { } wanted ? (int)wanted : null);
        var items = (await Task.WhenAll(ids.Ids.Select(id => grains.GetGrain<ICampaignGrain>(id).GetAsync())))
            .OfType<CampaignInfo>()
            .Where(c => filter is null || c.Status == filter)
            .Select(c => c.ToDto())
            .ToList();
        return TypedResults.Ok(new CampaignListDto(items, number, size, ids.Total));
    }

    private static async Task<Results<Ok<CampaignDto>, NotFound>> GetAsync(Guid id, CurrentAdvertiser caller, IGrainFactory grains, HttpResponse response)
    {
        if (await FindOwnedAsync(grains, caller, id) is not { } campaign)
        {
            return TypedResults.NotFound();
        }

        response.Headers.ETag = campaign.ETag();
        return TypedResults.Ok(campaign.ToDto());
    }

    private static async Task<Results<Ok<CampaignDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateCampaignRequest request, [FromHeader(Name = "If-Match")] string? ifMatch, CurrentAdvertiser caller, IGrainFactory grains, HttpResponse response)
    {
        if (await FindOwnedAsync(grains, caller, id) is not { } current)
        {
            return TypedResults.NotFound();
        }

        var validation = new Validation();
        var settings = CampaignValidation.Settings(validation, request.Name, request.StartsAt, request.EndsAt, request.TotalClickBudget, request.DailyClickCap);
        validation.ReadOnly("id", request.Id, current.Id, "it is the campaign's id in the URL");
        validation.ReadOnly("advertiserId", request.AdvertiserId, current.AdvertiserId, "a campaign stays with its advertiser");
        validation.ReadOnly("status", request.Status, current.Status.ApiName(), "POST /pause, /resume or DELETE change it");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        return Answer(await grains.GetGrain<ICampaignGrain>(id).UpdateAsync(settings, CampaignValidation.IfMatchVersion(ifMatch)), response);
    }

    private static async Task<Results<Ok<CampaignDto>, NotFound, ValidationProblem, ProblemHttpResult>> SetStatusAsync(
        Guid id, CampaignStatus status, CurrentAdvertiser caller, IGrainFactory grains, HttpResponse response) =>
        await FindOwnedAsync(grains, caller, id) is null
            ? TypedResults.NotFound()
            : Answer(await grains.GetGrain<ICampaignGrain>(id).SetStatusAsync(status), response);

    private static Results<Ok<CampaignDto>, NotFound, ValidationProblem, ProblemHttpResult> Answer(CampaignChange change, HttpResponse response)
    {
        if (change.Campaign is { } campaign)
        {
            response.Headers.ETag = campaign.ETag();
        }

        return change.Outcome switch
        {
            ChangeOutcome.Changed => TypedResults.Ok(change.Campaign!.ToDto()),
            ChangeOutcome.VersionMismatch => TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed meanwhile", detail: change.Reason),
            ChangeOutcome.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible now", detail: change.Reason),
            _ => TypedResults.NotFound(),
        };
    }

    private static async Task<Results<Created<AdDto>, NotFound, ValidationProblem>> CreateAdAsync(
        Guid id, AdRequest request, CurrentAdvertiser caller, IGrainFactory grains)
    {
        if (await FindOwnedAsync(grains, caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        var validation = new Validation();
        var settings = AdValidation.Settings(validation, request);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var ad = await grains.GetGrain<ICampaignGrain>(id).CreateAdAsync(settings);
        return TypedResults.Created($"/api/ads/{ad.Id}", ad.ToDto());
    }

    private static async Task<Results<Ok<AdListDto>, NotFound, ValidationProblem>> ListAdsAsync(
        Guid id, string? status, int? page, int? pageSize, CurrentAdvertiser caller, IGrainFactory grains)
    {
        var validation = new Validation();
        var filter = AdValidation.Status(validation, "status", status);
        var (number, size) = validation.Page(page, pageSize, MaxPageSize);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        if (await FindOwnedAsync(grains, caller, id) is null)
        {
            return TypedResults.NotFound();
        }

        // As the campaign listing: one or two list pages and the page's own ads, checked against the tag.
        var ids = await grains.GetGrain<IIdListGrain>(IdLists.AdsOf(id)).ListAsync((number - 1L) * size, size, filter is { } wanted ? (int)wanted : null);
        var items = (await Task.WhenAll(ids.Ids.Select(adId => grains.GetGrain<IAdDefinitionGrain>(adId).GetAsync())))
            .OfType<AdInfo>()
            .Where(a => filter is null || a.Status == filter)
            .Select(a => a.ToDto())
            .ToList();
        return TypedResults.Ok(new AdListDto(items, number, size, ids.Total));
    }
}
