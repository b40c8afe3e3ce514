using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.AdClicks.Api.Ads;
using Orleans.AdClicks.Api.Advertisers;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Campaigns;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Api.Analytics;

/// <summary>/api/analytics: counts per ad, campaign and advertiser over time, and the top ads.</summary>
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
        api.MapGet("/advertisers/{id:guid}", AdvertiserAsync).WithName("AdvertiserAnalytics")
            .WithSummary("Clicks and impressions of all an advertiser's ads per bucket.");
        api.MapGet("/top-ads", TopAdsAsync).WithName("TopAds").WithSummary("The ads with the most clicks, impressions or the highest CTR.");
        return app;
    }

    private static async Task<Results<Ok<SeriesDto>, NotFound, ValidationProblem>> AdAsync(
        Guid adId, string? from, string? to, string? granularity, string? compare, CurrentAdvertiser caller, IGrainFactory grains, AnalyticsReader analytics, TimeProvider time, CancellationToken cancellationToken) =>
        await SeriesAsync(caller, SeriesScope.Ad(adId), await AdsApi.FindOwnedAsync(grains, caller, adId) is not null, new(from, to, granularity, compare), analytics, time, cancellationToken);

    private static async Task<Results<Ok<SeriesDto>, NotFound, ValidationProblem>> CampaignAsync(
        Guid id, string? from, string? to, string? granularity, string? compare, CurrentAdvertiser caller, IGrainFactory grains, AnalyticsReader analytics, TimeProvider time, CancellationToken cancellationToken)
    {
        var campaign = await CampaignsApi.FindOwnedAsync(grains, caller, id);
        var answer = await SeriesAsync(caller, SeriesScope.Campaign(id), campaign is not null, new(from, to, granularity, compare), analytics, time, cancellationToken);
        return answer.Result is Ok<SeriesDto> ok && campaign!.Settings.TotalClickBudget is { } budget
            ? TypedResults.Ok(ok.Value! with { Budget = await BudgetAsync(analytics, TenantOf(caller), campaign, budget, time, cancellationToken) })
            : answer;
    }

    private static async Task<Results<Ok<SeriesDto>, NotFound, ValidationProblem>> AdvertiserAsync(
        Guid id, string? from, string? to, string? granularity, string? compare, CurrentAdvertiser caller, IGrainFactory grains, AnalyticsReader analytics, TimeProvider time, CancellationToken cancellationToken) =>
        await SeriesAsync(caller, SeriesScope.Advertiser(id), await AdvertisersApi.FindOwnedAsync(grains, caller, id) is not null, new(from, to, granularity, compare), analytics, time, cancellationToken);

    /// <summary>The query text of a series request, as sent.</summary>
    private sealed record SeriesRequest(string? From, string? To, string? Granularity, string? Compare);

    /// <summary>Not found comes before validation, so a caller learns nothing about others' ids.</summary>
    private static async Task<Results<Ok<SeriesDto>, NotFound, ValidationProblem>> SeriesAsync(
        CurrentAdvertiser caller, SeriesScope scope, bool owned, SeriesRequest request, AnalyticsReader analytics, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!owned)
        {
            return TypedResults.NotFound();
        }

        var validation = new Validation();
        var range = AnalyticsRange.Parse(request.From, request.To, request.Granularity, time.GetUtcNow(), validation);
        var comparePrevious = ComparesPrevious(request.Compare, validation);
        if (range is null || !validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        // Both periods are read at once; asOf is taken before either read, so a bucket it calls whole was whole when read.
        var asOf = time.GetUtcNow();
        var current = PeriodAsync(analytics, TenantOf(caller), scope, range, asOf, cancellationToken);
        var previous = comparePrevious ? PeriodAsync(analytics, TenantOf(caller), scope, range.Previous(), asOf, cancellationToken) : null;
        var period = await current;
        return TypedResults.Ok(new SeriesDto(scope.AdId, scope.CampaignId, scope.AdvertiserId, range.Granularity.ApiName(), period.From, period.To, asOf,
            period.Totals, period.Series, previous is null ? null : await previous));
    }

    /// <summary>True for compare=previous, false without compare; anything else is a problem naming it.</summary>
    private static bool ComparesPrevious(string? compare, Validation validation)
    {
        if (compare is null)
        {
            return false;
        }

        if (string.Equals(compare, "previous", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        validation.Add("compare", "'compare' is previous, or left out.");
        return false;
    }

    private static async Task<BudgetDto> BudgetAsync(AnalyticsReader analytics, AnalyticsTenant tenant, CampaignInfo campaign, long budget, TimeProvider time, CancellationToken cancellationToken)
    {
        var lifetime = await analytics.QuerySeriesAsync(
            tenant, SeriesScope.Campaign(campaign.Id), MinuteBucket.Truncate(campaign.CreatedAt, Granularity.Day), time.GetUtcNow().AddMinutes(1), Granularity.Day, cancellationToken);
        var spent = lifetime.Sum(d => d.Clicks);
        return new BudgetDto(budget, spent, Math.Max(0, spent - budget), campaign.BudgetSpentAt);
    }

    private static async Task<Results<Ok<TopAdsDto>, NotFound, ValidationProblem>> TopAdsAsync(
        string? from, string? to, string? limit, string? sort, Guid? campaignId, string? advertiserId, CurrentAdvertiser caller, IGrainFactory grains, AnalyticsReader analytics, TimeProvider time, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        // Top ads sum over the range, so it is minute-precise and may span up to a year.
        var range = AnalyticsRange.Parse(from, to, "minute", time.GetUtcNow(), validation, maxBuckets: 366 * 1440, defaultBuckets: 1440);
        var count = 10;
        if (limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxTopAds))
        {
            validation.Add("limit", $"'limit' is a whole number from 1 to {MaxTopAds}.");
        }

        var order = TopAdsSort.Clicks;
        if (sort is not null && !TryParseSort(sort, out order))
        {
            validation.Add("sort", "'sort' is clicks, impressions or ctr.");
        }

        var advertiser = validation.OptionalId("advertiserId", advertiserId);
        if ((campaignId is { } campaign && await CampaignsApi.FindOwnedAsync(grains, caller, campaign) is null)
            || (advertiser is { } owner && await AdvertisersApi.FindOwnedAsync(grains, caller, owner) is null))
        {
            return TypedResults.NotFound();
        }

        if (range is null || !validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var asOf = time.GetUtcNow();
        var ads = await analytics.QueryTopAdsAsync(TenantOf(caller), new TopAdsQuery(range.From, range.To, count, campaignId, advertiser, order), cancellationToken);
        var (adNames, campaignNames) = await NamesAsync(grains, ads);
        return TypedResults.Ok(new TopAdsDto(
            [.. ads.Select(a => new TopAdDto(a.AdId, a.CampaignId, adNames.GetValueOrDefault(a.AdId), campaignNames.GetValueOrDefault(a.CampaignId),
                a.Clicks, a.Impressions, Ctr.Of(a.Clicks, a.Impressions), a.InvalidClicks.Total, InvalidClicksByReasonDto.From(a.InvalidClicks)))],
            asOf));
    }

    /// <summary>
    /// The names of the ads and their campaigns, read from their grains all at once; one that no longer exists has
    /// none. The ids came from the tenant's own rows, so the names are the caller's to see.
    /// </summary>
    private static async Task<(Dictionary<Guid, string> Ads, Dictionary<Guid, string> Campaigns)> NamesAsync(IGrainFactory grains, IReadOnlyList<AdTotal> ads)
    {
        var adInfos = Task.WhenAll(ads.Select(a => grains.GetGrain<IAdDefinitionGrain>(a.AdId).GetAsync()));
        var campaignInfos = Task.WhenAll(ads.Select(a => a.CampaignId).Where(id => id != Guid.Empty).Distinct().Select(id => grains.GetGrain<ICampaignGrain>(id).GetAsync()));
        return (
            (await adInfos).OfType<AdInfo>().ToDictionary(a => a.Id, a => a.Name),
            (await campaignInfos).OfType<CampaignInfo>().ToDictionary(c => c.Id, c => c.Name));
    }

    private static bool TryParseSort(string text, out TopAdsSort sort)
    {
        sort = text.ToLowerInvariant() switch
        {
            "clicks" => TopAdsSort.Clicks,
            "impressions" => TopAdsSort.Impressions,
            "ctr" => TopAdsSort.Ctr,
            _ => (TopAdsSort)(-1),
        };
        return Enum.IsDefined(sort);
    }

    /// <summary>The admin reads every advertiser's rows; an advertiser only its own, also past the ownership checks above.</summary>
    private static AnalyticsTenant TenantOf(CurrentAdvertiser caller) =>
        caller.IsAdmin ? AnalyticsTenant.All : AnalyticsTenant.Advertiser(caller.AdvertiserId!.Value);

    /// <summary>The range's buckets, zeros included; a bucket that ends after <paramref name="asOf"/> is partial.</summary>
    private static async Task<PeriodDto> PeriodAsync(AnalyticsReader analytics, AnalyticsTenant tenant, SeriesScope scope, AnalyticsRange range, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var counts = (await analytics.QuerySeriesAsync(tenant, scope, range.From, range.To, range.Granularity, cancellationToken))
            .ToDictionary(b => b.Start);
        var size = TimeSpan.FromTicks(MinuteBucket.TicksPer(range.Granularity));
        var buckets = range.Buckets().Select(start => counts.GetValueOrDefault(start) ?? new BucketCount(start, 0, 0)).ToList();
        var series = buckets
            .Select(b => new SeriesPointDto(b.Start, b.Clicks, b.Impressions, b.Start + size > asOf, b.InvalidClicks.Total, InvalidClicksByReasonDto.From(b.InvalidClicks)))
            .ToList();
        var clicks = series.Sum(p => p.Clicks);
        var impressions = series.Sum(p => p.Impressions);
        var invalid = InvalidClickCounts.Sum(buckets.Select(b => b.InvalidClicks));
        return new PeriodDto(range.From, range.To, new TotalsDto(clicks, impressions, Ctr.Of(clicks, impressions), invalid.Total, InvalidClicksByReasonDto.From(invalid)), series);
    }
}
