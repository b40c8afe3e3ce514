using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.AdClicks.Api.Ads;
using Orleans.AdClicks.Api.Advertisers;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Campaigns;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Api.Analytics;

/// <summary>/api/analytics/…/breakdown: billable counts of an ad, a campaign or an advertiser per device class, browser, OS or country.</summary>
public static class BreakdownsApi
{
    /// <summary>The longest range one answer sums: the hourly rows of a year.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(366);

    /// <summary>Reads the breakdowns in this process when the aggregate store is registered here, else through the BreakdownAnalyticsGrain.</summary>
    public static IHostApplicationBuilder AddBreakdownsApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new BreakdownReader(sp.GetService<IBreakdownQueries>(), sp.GetRequiredService<IGrainFactory>()));
        return builder;
    }

    public static IEndpointRouteBuilder MapBreakdownsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/analytics").RequireAuthorization().WithTags("Analytics");
        api.MapGet("/ads/{adId:guid}/breakdown", AdAsync).WithName("AdBreakdown")
            .WithSummary("Billable clicks and impressions of one ad per device class, browser, OS or country, over whole UTC hours.");
        api.MapGet("/campaigns/{id:guid}/breakdown", CampaignAsync).WithName("CampaignBreakdown")
            .WithSummary("Billable clicks and impressions of a campaign per device class, browser, OS or country, over whole UTC hours.");
        api.MapGet("/advertisers/{id:guid}/breakdown", AdvertiserAsync).WithName("AdvertiserBreakdown")
            .WithSummary("Billable clicks and impressions of all an advertiser's ads per device class, browser, OS or country, over whole UTC hours.");
        return app;
    }

    private static async Task<Results<Ok<BreakdownDto>, NotFound, ValidationProblem>> AdAsync(
        Guid adId, string? by, string? from, string? to, CurrentAdvertiser caller, IGrainFactory grains, BreakdownReader breakdowns, TimeProvider time, CancellationToken cancellationToken) =>
        await BreakdownAsync(caller, SeriesScope.Ad(adId), await AdsApi.FindOwnedAsync(grains, caller, adId) is not null, new(by, from, to), breakdowns, time, cancellationToken);

    private static async Task<Results<Ok<BreakdownDto>, NotFound, ValidationProblem>> CampaignAsync(
        Guid id, string? by, string? from, string? to, CurrentAdvertiser caller, IGrainFactory grains, BreakdownReader breakdowns, TimeProvider time, CancellationToken cancellationToken) =>
        await BreakdownAsync(caller, SeriesScope.Campaign(id), await CampaignsApi.FindOwnedAsync(grains, caller, id) is not null, new(by, from, to), breakdowns, time, cancellationToken);

    private static async Task<Results<Ok<BreakdownDto>, NotFound, ValidationProblem>> AdvertiserAsync(
        Guid id, string? by, string? from, string? to, CurrentAdvertiser caller, IGrainFactory grains, BreakdownReader breakdowns, TimeProvider time, CancellationToken cancellationToken) =>
        await BreakdownAsync(caller, SeriesScope.Advertiser(id), await AdvertisersApi.FindOwnedAsync(grains, caller, id) is not null, new(by, from, to), breakdowns, time, cancellationToken);

    /// <summary>The query text of a breakdown request, as sent.</summary>
    private sealed record BreakdownRequest(string? By, string? From, string? To);

    /// <summary>
    /// Not found comes before validation, so a caller learns nothing about others' ids. The rows are hourly, so
    /// <c>from</c> is rounded down and <c>to</c> up to whole UTC hours (default: the last 24), and the answer says which.
    /// </summary>
    private static async Task<Results<Ok<BreakdownDto>, NotFound, ValidationProblem>> BreakdownAsync(
        CurrentAdvertiser caller, SeriesScope scope, bool owned, BreakdownRequest request, BreakdownReader breakdowns, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!owned)
        {
            return TypedResults.NotFound();
        }

        var validation = new Validation();
        var dimension = ParseDimension(request.By, validation);
        var range = AnalyticsRange.Parse(request.From, request.To, "hour", time.GetUtcNow(), validation, maxBuckets: int.MaxValue, defaultBuckets: 24);
        if (range is not null && range.To - range.From > MaxRange)
        {
            validation.Add("from", $"The range spans more than {MaxRange.TotalDays:0} days; narrow it.");
        }

        if (range is null || dimension is null || !validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var asOf = time.GetUtcNow();
        var tenant = caller.IsAdmin ? AnalyticsTenant.All : AnalyticsTenant.Advertiser(caller.AdvertiserId!.Value);
        var totals = await breakdowns.QueryAsync(tenant, scope, dimension.Value, range.From, range.To, cancellationToken);
        var (clicks, impressions) = (totals.Sum(t => t.Clicks), totals.Sum(t => t.Impressions));
        return TypedResults.Ok(new BreakdownDto(
            scope.AdId, scope.CampaignId, scope.AdvertiserId, dimension.Value.ApiName(), range.From, range.To, asOf, range.To > asOf,
            new BreakdownTotalsDto(clicks, impressions, Ctr.Of(clicks, impressions)),
            [.. totals.Select(t => new BreakdownItemDto(t.Value, t.Clicks, t.Impressions, Ctr.Of(t.Clicks, t.Impressions)))]));
    }

    /// <summary>device, browser, os or country (any case); anything else, or none, is a problem naming <c>by</c>.</summary>
    private static BreakdownDimension? ParseDimension(string? by, Validation validation)
    {
        BreakdownDimension? dimension = by?.ToLowerInvariant() switch
        {
            "device" => BreakdownDimension.Device,
            "browser" => BreakdownDimension.Browser,
            "os" => BreakdownDimension.Os,
            "country" => BreakdownDimension.Country,
            _ => null,
        };
        if (dimension is null)
        {
            validation.Add("by", "'by' is device, browser, os or country.");
        }

        return dimension;
    }
}
