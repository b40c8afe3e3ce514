using Microsoft.AspNetCore.Http.HttpResults;

namespace Orleans.AdClicks.Api.Auth;

/// <summary>/api/me: the caller the API key names, for a client (the dashboard) to know whom it signed in as.</summary>
public static class MeApi
{
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", GetAsync).RequireAuthorization().WithTags("Advertisers")
            .WithName("GetMe").WithSummary("The caller: its advertiser's id and name, or the admin.");
        return app;
    }

    private static async Task<Ok<MeDto>> GetAsync(CurrentAdvertiser caller, IGrainFactory grains) =>
        TypedResults.Ok(caller.AdvertiserId is { } id
            ? new MeDto(id, (await grains.GetGrain<IAdvertiserGrain>(id).GetAsync())?.Name, IsAdmin: false)
            : new MeDto(null, null, IsAdmin: true));
}
