using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Hosting;

namespace Orleans.AdClicks.Api.Advertisers;

/// <summary>/api/advertisers: the admin creates advertisers; an advertiser (or the admin) rotates or revokes its API key.</summary>
public static class AdvertisersApi
{
    public static IEndpointRouteBuilder MapAdvertisersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/advertisers").RequireAuthorization().WithTags("Advertisers");
        api.MapPost("/", CreateAsync).RequireAuthorization(AuthExtensions.AdminPolicy)
            .WithName("CreateAdvertiser").WithSummary("Creates an advertiser; the API key is shown only in this answer.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetAdvertiser").WithSummary("Gets an advertiser (itself, or any for the admin).");
        api.MapPost("/{id:guid}/api-key", RotateKeyAsync).WithName("RotateApiKey")
            .WithSummary("Issues a new API key, shown only in this answer; the old one stops working within seconds.");
        api.MapDelete("/{id:guid}/api-key", RevokeKeyAsync).WithName("RevokeApiKey")
            .WithSummary("Revokes the API key; no key works until the next rotation.");
        return app;
    }

    private static async Task<Results<Ok<AdvertiserDto>, NotFound>> GetAsync(Guid id, CurrentAdvertiser caller, IGrainFactory grains) =>
        caller.Owns(id) && await grains.GetGrain<IAdvertiserGrain>(id).GetAsync() is { } advertiser
            ? TypedResults.Ok(new AdvertiserDto(advertiser.Id, advertiser.Name, advertiser.CreatedAt))
            : TypedResults.NotFound();

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
