using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Hosting;

namespace Orleans.AdClicks.Api.Advertisers;

/// <summary>POST /api/advertisers: the admin creates an advertiser and gets its API key, once.</summary>
public static class AdvertisersApi
{
    public static IEndpointRouteBuilder MapAdvertisersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/advertisers").RequireAuthorization(AuthExtensions.AdminPolicy).WithTags("Advertisers");
        api.MapPost("/", CreateAsync).WithName("CreateAdvertiser").WithSummary("Creates an advertiser; the API key is shown only in this answer.");
        return app;
    }

    private static async Task<Results<Created<AdvertiserCreatedDto>, ValidationProblem>> CreateAsync(CreateAdvertiserRequest request, IGrainFactory grains)
    {
        var validation = new Validation();
        var name = validation.Text("name", request.Name);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var id = Guid.NewGuid();
        var apiKey = ApiKeys.Create(id);
        var advertiser = await grains.GetGrain<IAdvertiserGrain>(id).CreateAsync(name, ApiKeys.Hash(apiKey));
        return TypedResults.Created($"/api/advertisers/{id}", new AdvertiserCreatedDto(advertiser.Id, advertiser.Name, apiKey));
    }
}
