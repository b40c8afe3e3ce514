using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.AdClicks.Api.Ads;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Campaigns;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Api.Analytics;

/// <summary>/api/analytics: counts per ad and campaign over time, and the top ads.</summary>
public static class AnalyticsApi
{
    public const int MaxTopAds = 100;

    /// <summary>Reads the aggregate store in this process when it is registered here (a co-hosted silo's), else through the AnalyticsGrain.</summary>
    public static IHostApplicationBuilder AddAnalyticsApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new AnalyticsReader(sp.GetService<IAggregateQueries>(), sp.GetRequiredService<IGrainFactory>()));
        return builder;
    }

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/analytics").RequireAuthorization().WithTags("Analytics");
        api.MapGet("/ads/{adId:guid}", AdAsync).WithName("AdAnalytics").WithSummary("Clicks and impressions of one ad per bucket.");
        api.MapGet("/campaigns/{id:guid}", CampaignAsync).WithName("CampaignAnalytics").WithSummary("Clicks and impressions of a campaign per bucket.");
        api.MapGet("/top-ads", TopAdsAsync).WithName("TopAds").WithSummary("The ads with the most clicks.");
        return app;
    }

    private static async Task<Results<Ok<SeriesDto>, NotFound, ValidationProblem>> AdAsync(
        Guid adId, string? from, string? to, string? granularity, CurrentAdvertiser caller, IGrainFactory grains, AnalyticsReader analytics, TimeProvider time, CancellationToken cancellationToken) =>
        await SeriesAsync(caller, SeriesScope.Ad(adId), await AdsApi.FindOwnedAsync(grains, caller, adId) is not null, from, to, granularity, analytics, time, cancellationToken);

    private static async Task<Results<Ok<SeriesDto>, NotFound, ValidationProblem>> CampaignAsync(
        Guid id, string? from, string? to, string? granularity, CurrentAdvertiser caller, IGrainFactory grains, AnalyticsReader analytics, TimeProvider time, CancellationToken cancellationToken)
    {
        var campaign = await CampaignsApi.FindOwnedAsync(grains, caller, id);
        var answer = await SeriesAsync(caller, SeriesScope.Campaign(id), campaign is not null, from, to, granularity, analytics, time, cancellationToken);
        return answer.Result is Ok<SeriesDto> ok && campaign!.Settings.TotalClickBudget is { } budget
            ? TypedResults.Ok(ok.Value! with { Budget = await BudgetAsync(analytics, TenantOf(caller), campaign, budget, time, cancellationToken) })
            : answer;
    }

    /// <summary>Not found comes before validation, so a caller learns nothing about others' ids.</summary>
    private static async Task<Results<Ok<SeriesDto>, NotFound, ValidationProblem>> SeriesAsync(
        CurrentAdvertiser caller, SeriesScope scope, bool owned, string? from, string? to, string? granularity, AnalyticsReader analytics, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!owned)
        {
            return TypedResults.NotFound();
        }

        var validation = new Validation();
        var range = AnalyticsRange.Parse(from, to, granularity, time.GetUtcNow(), validation);
        return range is null
            ? TypedResults.ValidationProblem(validation.Errors)
            : TypedResults.Ok(await QueryAsync(analytics, TenantOf(caller), scope, range, cancellationToken));
    }

    private static async Task<BudgetDto> BudgetAsync(AnalyticsReader analytics, AnalyticsTenant tenant, CampaignInfo campaign, long budget, TimeProvider time, CancellationToken cancellationToken)
    {
        var lifetime = await analytics.QuerySeriesAsync(
            tenant, SeriesScope.Campaign(campaign.Id), MinuteBucket.Truncate(campaign.CreatedAt, Granularity.Day), time.GetUtcNow().AddMinutes(1), Granularity.Day, cancellationToken);
        var spent = lifetime.Sum(d => d.Clicks);
        return new BudgetDto(budget, spent, Math.Max(0, spent - budget), campaign.BudgetSpentAt);
    }

    private static async Task<Results<Ok<TopAdsDto>, NotFound, ValidationProblem>> TopAdsAsync(
        string? from, string? to, string? limit, Guid? campaignId, CurrentAdvertiser caller, IGrainFactory grains, AnalyticsReader analytics, TimeProvider time, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        // Top ads sum over the range, so it is minute-precise and may span up to a year.
        var range = AnalyticsRange.Parse(from, to, "minute", time.GetUtcNow(), validation, maxBuckets: 366 * 1440, defaultBuckets: 1440);
        var count = 10;
        if (limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxTopAds))
        {
            validation.Add("limit", $"'limit' is a whole number from 1 to {MaxTopAds}.");
        }

        if (campaignId is { } campaign && await CampaignsApi.FindOwnedAsync(grains, caller, campaign) is null)
        {
            return TypedResults.NotFound();
        }

        if (range is null || !validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var ads = await analytics.QueryTopAdsAsync(TenantOf(caller), new TopAdsQuery(range.From, range.To, count, campaignId, AdvertiserId: null), cancellationToken);
        return TypedResults.Ok(new TopAdsDto([.. ads.Select(a => new TopAdDto(a.AdId, a.CampaignId, a.Clicks, a.Impressions, Ctr.Of(a.Clicks, a.Impressions)))]));
    }

    /// <summary>The admin reads every advertiser's rows; an advertiser only its own, also past the ownership checks above.</summary>
    private static AnalyticsTenant TenantOf(CurrentAdvertiser caller) =>
        caller.IsAdmin ? AnalyticsTenant.All : AnalyticsTenant.Advertiser(caller.AdvertiserId!.Value);

    private static async Task<SeriesDto> QueryAsync(AnalyticsReader analytics, AnalyticsTenant tenant, SeriesScope scope, AnalyticsRange range, CancellationToken cancellationToken)
    {
        var counts = (await analytics.QuerySeriesAsync(tenant, scope, range.From, range.To, range.Granularity, cancellationToken))
            .ToDictionary(b => b.Start);
        var series = range.Buckets()
            .Select(start => counts.TryGetValue(start, out var b) ? new SeriesPointDto(start, b.Clicks, b.Impressions) : new SeriesPointDto(start, 0, 0))
            .ToList();
        var clicks = series.Sum(p => p.Clicks);
        var impressions = series.Sum(p => p.Impressions);
        return new SeriesDto(scope.AdId, scope.CampaignId, range.Granularity.ApiName(), range.From, range.To,
            new TotalsDto(clicks, impressions, Ctr.Of(clicks, impressions)), series);
    }
}
