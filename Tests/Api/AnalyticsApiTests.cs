using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

public sealed class AnalyticsApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("granularity=week", "granularity")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45T00:00:00Z", "to")]
    [InlineData("from=2026-11-28T10:00:00Z&to=2026-11-28T09:00:00Z", "from")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-11-28T00:00:00Z&granularity=minute", "from")]
    public async Task AdSeries_BadQuery_400NamesField(string query, string field)
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();

        var response = await advertiser.GetAsync($"/api/analytics/ads/{adId}?{query}", Cancel);

        var body = await ApiScenario.JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=ten")]
    public async Task TopAds_BadLimit_400(string query)
    {
        var response = await Scenario.Admin.GetAsync($"/api/analytics/top-ads?{query}", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AdSeries_MinuteGranularity_ZeroFilledAlignedBuckets()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();

        var response = await advertiser.GetAsync($"/api/analytics/ads/{adId}?from=2026-11-28T10:00:30Z&to=2026-11-28T10:05:00Z&granularity=minute", Cancel);

        var body = await ApiScenario.JsonAsync(response);
        var series = body.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("minute", body.GetProperty("granularity").GetString());
        Assert.Equal(adId, body.GetProperty("adId").GetGuid());
        Assert.Equal(5, series.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero), series[0].GetProperty("start").GetDateTimeOffset());
        Assert.All(series, p => Assert.Equal(0, p.GetProperty("clicks").GetInt64()));
    }

    [Fact]
    public async Task CampaignSeriesAndTopAds_ClicksOnTwoAds_SummedAndRanked()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await ApiScenario.CreateCampaignAsync(advertiser);
        var popular = await ApiScenario.CreateAdAsync(advertiser, campaignId);
        var quiet = await ApiScenario.CreateAdAsync(advertiser, campaignId);
        foreach (var (adId, clicks) in new[] { (popular, 3), (quiet, 1) })
        {
            for (var i = 0; i < clicks; i++)
            {
                var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);
                await Scenario.ViewAsync(token);
                await Scenario.ClickAsync(token);
            }
        }

        await ApiScenario.WaitForTotalsAsync(advertiser, popular, (3, 3));
        await ApiScenario.WaitForTotalsAsync(advertiser, quiet, (1, 1));
        var campaign = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/analytics/campaigns/{campaignId}?granularity=day", Cancel));
        var top = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/analytics/top-ads?campaignId={campaignId}&limit=5", Cancel));

        var totals = campaign.GetProperty("totals");
        Assert.Equal(campaignId, campaign.GetProperty("campaignId").GetGuid());
        Assert.Equal(4, totals.GetProperty("clicks").GetInt64());
        // The waits above each drained the pipeline with one marker view per ad.
        var impressions = 4 + ApiScenario.MarkerViewsOf(popular) + ApiScenario.MarkerViewsOf(quiet);
        Assert.Equal(impressions, totals.GetProperty("impressions").GetInt64());
        Assert.Equal(Math.Round(4.0 / impressions, 6), totals.GetProperty("ctr").GetDouble());
        var items = top.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([popular, quiet], items.Select(i => i.GetProperty("adId").GetGuid()));
        Assert.Equal(3, items[0].GetProperty("clicks").GetInt64());
    }

    [Fact]
    public async Task TopAds_Advertiser_SeesOnlyOwnAds()
    {
        var (ownerClient, _, ownAd) = await Scenario.CreateAdWithOwnerAsync();
        var (otherClient, _, otherAd) = await Scenario.CreateAdWithOwnerAsync();
        await Scenario.ClickAsync(await ApiScenario.CreateImpressionAsync(ownerClient, ownAd));
        await Scenario.ClickAsync(await ApiScenario.CreateImpressionAsync(otherClient, otherAd));
        await ApiScenario.WaitForTotalsAsync(ownerClient, ownAd, (1, 0));
        await ApiScenario.WaitForTotalsAsync(otherClient, otherAd, (1, 0));

        var top = await ApiScenario.JsonAsync(await ownerClient.GetAsync("/api/analytics/top-ads?limit=100", Cancel));
        var othersCampaign = (await ApiScenario.JsonAsync(await otherClient.GetAsync($"/api/ads/{otherAd}", Cancel))).GetProperty("campaignId").GetGuid();
        var foreign = await ownerClient.GetAsync($"/api/analytics/top-ads?campaignId={othersCampaign}", Cancel);

        var ids = top.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("adId").GetGuid()).ToList();
        Assert.Contains(ownAd, ids);
        Assert.DoesNotContain(otherAd, ids);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task CoHosted_SeriesBudgetAndTopAds_AnsweredInProcessWithoutAGrainCall()
    {
        using var data = new TempDirectory();
        var calls = new GrainCallRecorder();
        await using var api = new AdClicksApiFactory(data.Path, services: s => s.AddSingleton<IIncomingGrainCallFilter>(calls)).Start();
        var scenario = new ApiScenario(api);
        var (_, advertiser) = await scenario.CreateAdvertiserAsync();
        var created = await advertiser.PostAsJsonAsync("/api/campaigns", new { name = "Budgeted", totalClickBudget = 5 }, Cancel);
        var campaignId = (await ApiScenario.JsonAsync(created)).GetProperty("id").GetGuid();
        var adId = await ApiScenario.CreateAdAsync(advertiser, campaignId);
        await scenario.ClickAsync(await ApiScenario.CreateImpressionAsync(advertiser, adId));

        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 0));
        var campaign = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/analytics/campaigns/{campaignId}?granularity=day", Cancel));
        var top = await ApiScenario.JsonAsync(await advertiser.GetAsync("/api/analytics/top-ads", Cancel));

        Assert.Equal(1, campaign.GetProperty("budget").GetProperty("spentClicks").GetInt64());
        Assert.Equal([adId], top.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("adId").GetGuid()));
        Assert.Equal(0, calls.CallsTo<IAnalyticsGrain>());
        Assert.NotEqual(0, calls.CallsTo<ICampaignGrain>());
    }
}
