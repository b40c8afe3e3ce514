using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Campaigns;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Advertisers;

/// <summary>/api/advertisers: the admin creates and lists advertisers; an advertiser (or the admin) rotates or revokes its API key.</summary>
public static class AdvertisersApi
{
    public static IEndpointRouteBuilder MapAdvertisersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/advertisers").RequireAuthorization().WithTags("Advertisers");
        api.MapPost("/", CreateAsync).RequireAuthorization(AuthExtensions.AdminPolicy)
            .WithName("CreateAdvertiser").WithSummary("Creates an advertiser; the API key is shown only in this answer.");
        api.MapGet("/", ListAsync).RequireAuthorization(AuthExtensions.AdminPolicy)
            .WithName("ListAdvertisers").WithSummary("Lists every advertiser (admin), oldest first, a page at a time.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetAdvertiser").WithSummary("Gets an advertiser (itself, or any for the admin).");
        api.MapPost("/{id:guid}/api-key", RotateKeyAsync).WithName("RotateApiKey")
            .WithSummary("Issues a new API key, shown only in this answer; the old one stops working within seconds.");
        api.MapDelete("/{id:guid}/api-key", RevokeKeyAsync).WithName("RevokeApiKey")
            .WithSummary("Revokes the API key; no key works until the next rotation.");
        return app;
    }

    /// <summary>The advertiser when it exists and is the caller (any, for the admin); others do not exist for the caller.</summary>
    public static async Task<AdvertiserInfo?> FindOwnedAsync(IGrainFactory grains, CurrentAdvertiser caller, Guid id) =>
        caller.Owns(id) ? await grains.GetGrain<IAdvertiserGrain>(id).GetAsync() : null;

    private static async Task<Results<Ok<AdvertiserDto>, NotFound>> GetAsync(Guid id, CurrentAdvertiser caller, IGrainFactory grains) =>
        await FindOwnedAsync(grains, caller, id) is { } advertiser ? TypedResults.Ok(ToDto(advertiser)) : TypedResults.NotFound();

    /// <summary>A page of the advertisers' id list names the advertisers to read, as the campaign listing does.</summary>
    private static async Task<Results<Ok<AdvertiserListDto>, ValidationProblem>> ListAsync(int? page, int? pageSize, IGrainFactory grains)
    {
        var validation = new Validation();
        var (number, size) = validation.Page(page, pageSize, CampaignsApi.MaxPageSize);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var ids = await grains.GetGrain<IAdvertiserDirectoryGrain>(0).ListAsync((number - 1L) * size, size);
        var items = (await Task.WhenAll(ids.Ids.Select(id => grains.GetGrain<IAdvertiserGrain>(id).GetAsync())))
            .OfType<AdvertiserInfo>()
            .Select(ToDto)
            .ToList();
        return TypedResults.Ok(new AdvertiserListDto(items, number, size, ids.Total));
    }

    private static AdvertiserDto ToDto(AdvertiserInfo advertiser) => new(advertiser.Id, advertiser.Name, advertiser.CreatedAt);

    private static async Task<Results<Ok<AdvertiserCreatedDto>, NotFound>> RotateKeyAsync(Guid id, CurrentAdvertiser caller, ApiKeys keys, IGrainFactory grains)
    {
        var apiKey = keys.Create(id);
        return caller.Owns(id) && await grains.GetGrain<IAdvertiserGrain>(id).RotateApiKeyAsync(ApiKeys.Hash(apiKey)) is { } advertiser
            ? TypedResults.Ok(new AdvertiserCreatedDto(advertiser.Id, advertiser.Name, apiKey))
            : TypedResults.NotFound();
    }

    private static async Task<Results<NoContent, NotFound>> RevokeKeyAsync(Guid id, CurrentAdvertiser caller, IGrainFactory grains) =>
        caller.Owns(id) && await grains.GetGrain<IAdvertiserGrain>(id).RevokeApiKeyAsync()
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    private static async Task<Results<Created<AdvertiserCreatedDto>, ValidationProblem>> CreateAsync(CreateAdvertiserRequest request, ApiKeys keys, IGrainFactory grains)
    {
        var validation = new Validation();
        var name = validation.Text("name", request.Name);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var id = Guid.NewGuid();
        var apiKey = keys.Create(id);
        var advertiser = await grains.GetGrain<IAdvertiserGrain>(id).CreateAsync(name, ApiKeys.Hash(apiKey));
        return TypedResults.Created($"/api/advertisers/{id}", new AdvertiserCreatedDto(advertiser.Id, advertiser.Name, apiKey));
    }
}
