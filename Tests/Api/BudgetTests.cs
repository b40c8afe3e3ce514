using System.Net;
using System.Net.Http.Json;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>The budget tracker: its own stream subscriber pauses a campaign whose budget is spent.</summary>
public sealed class BudgetTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Clicks_TotalBudgetSpent_CampaignPausedAndLaterClicksStillCounted()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await CreateCampaignAsync(advertiser, new { name = "Small", totalClickBudget = 3 });
        var adId = await ApiScenario.CreateAdAsync(advertiser, campaignId);
        var tokens = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ApiScenario.CreateImpressionAsync(advertiser, adId)));

        foreach (var token in tokens)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await Scenario.ClickAsync(token)).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await Scenario.ClickAsync(token)).StatusCode);
        }

        var campaign = await Eventually.MatchesAsync(
            async () => await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/campaigns/{campaignId}", Cancel)),
            c => c.GetProperty("status").GetString() == "paused");
        Assert.True(campaign.TryGetProperty("budgetSpentAt", out _));
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (5, 0));
        var refused = await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, Cancel);
        var analytics = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/analytics/campaigns/{campaignId}?granularity=day", Cancel));
        var budget = analytics.GetProperty("budget");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(3, budget.GetProperty("totalClickBudget").GetInt64());
        Assert.Equal(5, budget.GetProperty("spentClicks").GetInt64());
        Assert.Equal(2, budget.GetProperty("overBudgetClicks").GetInt64());
    }

    [Fact]
    public async Task Clicks_DuplicatesBelowBudget_CampaignStaysActive()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await CreateCampaignAsync(advertiser, new { name = "Repeats", totalClickBudget = 3 });
        var adId = await ApiScenario.CreateAdAsync(advertiser, campaignId);
        var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);

        for (var i = 0; i < 6; i++)
        {
            await Scenario.ClickAsync(token);
        }

        // One click, counted once: six repeats on the stream must not spend a budget of three.
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 0));
        var marker = await ApiScenario.CreateImpressionAsync(advertiser, adId);
        await Scenario.ClickAsync(marker);
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (2, 0));
        var campaign = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/campaigns/{campaignId}", Cancel));
        Assert.Equal("active", campaign.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, (await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, Cancel)).StatusCode);
    }

    [Fact]
    public async Task Clicks_DailyCapReached_PlacementRefusedForTheDayButCampaignActive()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await CreateCampaignAsync(advertiser, new { name = "Capped", dailyClickCap = 2 });
        var adId = await ApiScenario.CreateAdAsync(advertiser, campaignId);
        var tokens = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ApiScenario.CreateImpressionAsync(advertiser, adId)));

        foreach (var token in tokens)
        {
            await Scenario.ClickAsync(token);
        }

        await Eventually.MatchesAsync(
            async () => (await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, Cancel)).StatusCode,
            status => status == HttpStatusCode.Conflict);
        var campaign = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/campaigns/{campaignId}", Cancel));
        Assert.Equal("active", campaign.GetProperty("status").GetString());
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"), campaign.GetProperty("dailyCapReachedOn").GetString());
    }

    private static async Task<Guid> CreateCampaignAsync(HttpClient advertiser, object body)
    {
        var response = await advertiser.PostAsJsonAsync("/api/campaigns", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ApiScenario.JsonAsync(response)).GetProperty("id").GetGuid();
    }
}
