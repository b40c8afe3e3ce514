using System.Net;
using System.Net.Http.Json;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>The dashboard's campaigns panel in Chromium, through the real Api on a real port.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardCampaignTests(BrowserFixture browser, ApiFixture api) : IClassFixture<ApiFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CampaignDetail_BudgetOverspent_ShowsSpentAndOverBudgetClicksAsTheApiCountsThem()
    {
        var (_, key) = await api.Scenario.CreateAdvertiserKeyAsync("Budget Bikes");
        var advertiser = api.Factory.CreateClient(key);
        var created = await advertiser.PostAsJsonAsync("/api/campaigns", new { name = "Tight budget", totalClickBudget = 3 }, Cancel);
        var campaignId = (await ApiScenario.JsonAsync(created)).GetProperty("id").GetGuid();
        var adId = await ApiScenario.CreateAdAsync(advertiser, campaignId);
        // Five placements before the budget is spent; their clicks all count, the last two over the budget.
        await AdTraffic.SendAsync(advertiser, api.Scenario.Anonymous, adId, impressions: 5, clicks: 5);
        await AdTraffic.WaitForAdAsync(advertiser, adId, clicks: 5, impressions: 5);
        await Eventually.MatchesAsync(
            async () => await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/campaigns/{campaignId}", Cancel)),
            c => c.GetProperty("status").GetString() == "paused");
        await using var page = await browser.OpenAsync(api.Factory.ClientOptions.BaseAddress);
        await page.SignInAsync(key, "Budget Bikes");
        var row = page.Page.GetByTestId("campaigns").Locator($"tr[data-campaign-id='{campaignId}']");

        await page.RefreshAfterAsync(() => row.GetByTestId("drill-campaign").ClickAsync());

        var budget = (await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/analytics/campaigns/{campaignId}?granularity=day", Cancel))).GetProperty("budget");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Expect(page.Page.GetByTestId("campaign-detail")).ToBeVisibleAsync();
        await Expect(page.Page.GetByTestId("budget-spent")).ToHaveAttributeAsync("data-value", budget.GetProperty("spentClicks").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Page.GetByTestId("over-budget")).ToHaveAttributeAsync("data-value", "2");
        await Expect(row.Locator("td[data-col=status]")).ToHaveAttributeAsync("data-value", "paused");
        Assert.Equal(5, budget.GetProperty("spentClicks").GetInt64());
    }

    [Fact]
    public async Task CsvExport_Campaigns_HoldsExactlyTheRowsShown()
    {
        var advertiser = await DashboardAdvertiser.CreateAsync(api.Factory, api.Scenario, "Listed Lamps", "=Formula first", "Plain, with a comma");
        await using var page = await browser.OpenAsync(api.Factory.ClientOptions.BaseAddress);
        await page.SignInAsync(advertiser.ApiKey, advertiser.Name);
        await Expect(page.Page.GetByTestId("campaigns").Locator("tr[data-campaign-id]")).ToHaveCountAsync(2);

        var csv = Csv.Parse(await page.ExportAsync("campaigns"));

        Csv.AssertHoldsRows(
            csv,
            await DashboardPage.RowValuesAsync(page.Page.GetByTestId("campaigns").Locator("tr[data-campaign-id]")),
            composed: new Dictionary<string, string[]> { ["schedule"] = ["startsAt", "endsAt"] });
        // A name a spreadsheet would run as a formula is written so that it does not.
        Assert.Contains(csv.Skip(1), r => r.Contains("'=Formula first"));
        Assert.Contains(csv.Skip(1), r => r.Contains("Plain, with a comma"));
    }
}
