using System.Net;
using Microsoft.Playwright;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>The breakdown panel in Chromium, through the real Api on a real port, with clicks sent by real user agents.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardBreakdownTests(BrowserFixture browser, ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private const string SafariOnIPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Uri Address => api.Factory.ClientOptions.BaseAddress;

    [Fact]
    public async Task Breakdown_ChosenDimension_ShowsTheValuesOfTheViewAndFollowsTheDrillDown()
    {
        var advertiser = await DashboardAdvertiser.CreateAsync(api.Factory, api.Scenario, "Broken Down", "Phones", "Desks");
        var (phones, desks) = (advertiser.Campaigns[0], advertiser.Campaigns[1]);
        await ClicksAsync(advertiser, phones.AdId, SafariOnIPhone, 3);
        await ClicksAsync(advertiser, desks.AdId, ChromeOnWindows, 1);
        await WaitForDevicesAsync(advertiser, 4);
        await using var page = await browser.OpenAsync(Address);
        await page.SignInAsync(advertiser.ApiKey, advertiser.Name);
        await page.RefreshAfterAsync(() => page.Range.SelectOptionAsync("1h"));
        var rows = page.Page.GetByTestId("breakdown").Locator("tbody tr[data-value]");

        await Expect(rows).ToHaveCountAsync(2);
        Assert.Equal(["mobile", "desktop"], await ValuesAsync(rows));
        Assert.Equal(["3", "1"], await CellsAsync(rows, "clicks"));
        await Expect(page.Page.GetByTestId("breakdown-note")).ToContainTextAsync("whole UTC hours");

        await page.RefreshAfterAsync(() => page.Page.GetByTestId("breakdown-by").SelectOptionAsync("browser"));

        Assert.Equal(["Mobile Safari", "Chrome"], await ValuesAsync(rows));
        Assert.Contains("by=browser", page.Page.Url, StringComparison.Ordinal);
        var csv = Csv.Parse(await page.ExportAsync("breakdown"));
        Assert.Equal(["by", "value", "clicks", "impressions", "ctr", "from", "to"], csv[0]);
        Assert.Equal([["browser", "Mobile Safari", "3"], ["browser", "Chrome", "1"]], csv.Skip(1).Select(r => r.Take(3).ToList()));

        await page.RefreshAfterAsync(() => page.TopAdRows.And(page.Page.Locator($"[data-campaign-id='{desks.Id}']")).GetByTestId("drill-campaign").ClickAsync());

        await Expect(rows).ToHaveCountAsync(1);
        Assert.Equal(["Chrome"], await ValuesAsync(rows));
        Assert.Equal(["1"], await CellsAsync(rows, "clicks"));
    }

    private async Task ClicksAsync(DashboardAdvertiser advertiser, Guid adId, string userAgent, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var token = await ApiScenario.CreateImpressionAsync(advertiser.Client, adId);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/c/{token}");
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            Assert.Equal(HttpStatusCode.Redirect, (await api.Scenario.Anonymous.SendAsync(request, Cancel)).StatusCode);
        }
    }

    /// <summary>Waits until the advertiser's device breakdown counts <paramref name="clicks"/> clicks, as the page will read it.</summary>
    private static Task WaitForDevicesAsync(DashboardAdvertiser advertiser, long clicks) =>
        Eventually.MatchesAsync(
            async () => (await ApiScenario.JsonAsync(await advertiser.Client.GetAsync($"/api/analytics/advertisers/{advertiser.Id}/breakdown?by=device", Cancel)))
                .GetProperty("totals").GetProperty("clicks").GetInt64(),
            counted => counted == clicks);

    private static async Task<List<string>> ValuesAsync(ILocator rows) =>
        [.. await Task.WhenAll((await rows.AllAsync()).Select(async row => await row.GetAttributeAsync("data-value") ?? ""))];

    private static async Task<List<string>> CellsAsync(ILocator rows, string column) =>
        [.. (await DashboardPage.RowValuesAsync(rows)).Select(cells => cells.Single(c => c.Column == column).Value)];
}
