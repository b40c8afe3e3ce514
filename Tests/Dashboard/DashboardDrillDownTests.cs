using Microsoft.Playwright;
using Orleans.AdClicks.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>The top-ads table's drill-down and sorting in Chromium, through the real Api on a real port.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardDrillDownTests(BrowserFixture browser, ApiFixture api) : IClassFixture<ApiFixture>
{
    private Uri Address => api.Factory.ClientOptions.BaseAddress;

    [Fact]
    public async Task DrillDown_Campaign_FiltersTopAdsAndChartAndBreadcrumbReturns()
    {
        var advertiser = await CreateAsync("Drill Deep", "Summer sale", "Autumn sale");
        var (summer, autumn) = (advertiser.Campaigns[0], advertiser.Campaigns[1]);
        await SendAndWaitAsync(advertiser, summer, impressions: 6, clicks: 4);
        await SendAndWaitAsync(advertiser, autumn, impressions: 5, clicks: 1);
        await using var page = await browser.OpenAsync(Address);
        await page.SignInAsync(advertiser.ApiKey, advertiser.Name);
        await page.RefreshAfterAsync(() => page.Range.SelectOptionAsync("1h"));
        await Expect(page.TopAdRows).ToHaveCountAsync(2);

        await page.RefreshAfterAsync(() => page.TopAdRows.And(page.Page.Locator($"[data-campaign-id='{summer.Id}']")).GetByTestId("drill-campaign").ClickAsync());

        await Expect(page.TopAdRows).ToHaveCountAsync(1);
        await Expect(page.TopAdRows).ToHaveAttributeAsync("data-campaign-id", summer.Id.ToString());
        await Expect(page.Kpi("clicks")).ToHaveAttributeAsync("data-value", "4");
        Assert.Equal(4, await page.SeriesSumAsync("clicks"));
        Assert.Equal(6, await page.SeriesSumAsync("impressions"));
        await Expect(page.Breadcrumb).ToContainTextAsync(summer.Name);
        await Expect(page.Page.GetByTestId("campaign-detail")).ToBeVisibleAsync();

        await page.RefreshAfterAsync(() => page.Breadcrumb.GetByRole(AriaRole.Link, new() { Name = "All campaigns" }).ClickAsync());

        await Expect(page.TopAdRows).ToHaveCountAsync(2);
        await Expect(page.Kpi("clicks")).ToHaveAttributeAsync("data-value", "5");
        Assert.Equal(5, await page.SeriesSumAsync("clicks"));
        await Expect(page.Breadcrumb).Not.ToContainTextAsync(summer.Name);
        await Expect(page.Page.GetByTestId("campaign-detail")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task DrillDown_Ad_FiltersToThatAdAndBackReturns()
    {
        var advertiser = await CreateAsync("Drill Ads", "First campaign", "Second campaign");
        await SendAndWaitAsync(advertiser, advertiser.Campaigns[0], impressions: 4, clicks: 1);
        await SendAndWaitAsync(advertiser, advertiser.Campaigns[1], impressions: 9, clicks: 3);
        var second = advertiser.Campaigns[1];
        await using var page = await browser.OpenAsync(Address);
        await page.SignInAsync(advertiser.ApiKey, advertiser.Name);
        await page.RefreshAfterAsync(() => page.Range.SelectOptionAsync("1h"));
        await Expect(page.TopAdRows).ToHaveCountAsync(2);

        await page.RefreshAfterAsync(() => page.TopAds.Locator($"tr[data-ad-id='{second.AdId}']").GetByTestId("drill-ad").ClickAsync());

        await Expect(page.TopAdRows).ToHaveCountAsync(1);
        await Expect(page.TopAdRows).ToHaveAttributeAsync("data-ad-id", second.AdId.ToString());
        await Expect(page.Kpi("impressions")).ToHaveAttributeAsync("data-value", "9");
        Assert.Equal(3, await page.SeriesSumAsync("clicks"));
        await Expect(page.Breadcrumb).ToContainTextAsync(second.Name);
        await Expect(page.Breadcrumb).ToContainTextAsync($"{second.Name} banner");

        // The view lives in the URL: the browser's Back leaves the drill-down.
        await page.RefreshAfterAsync(() => page.Page.GoBackAsync());

        await Expect(page.TopAdRows).ToHaveCountAsync(2);
        await Expect(page.Kpi("clicks")).ToHaveAttributeAsync("data-value", "4");
    }

    [Fact]
    public async Task TopAds_SortByCtr_OrdersRowsAndMarksTheHeader()
    {
        var advertiser = await CreateAsync("Sorted Sails", "Many views", "Few views");
        await SendAndWaitAsync(advertiser, advertiser.Campaigns[0], impressions: 10, clicks: 2);
        await SendAndWaitAsync(advertiser, advertiser.Campaigns[1], impressions: 2, clicks: 1);
        await using var page = await browser.OpenAsync(Address);
        await page.SignInAsync(advertiser.ApiKey, advertiser.Name);
        await page.RefreshAfterAsync(() => page.Range.SelectOptionAsync("1h"));
        await Expect(page.TopAdRows.First).ToHaveAttributeAsync("data-ad-id", advertiser.Campaigns[0].AdId.ToString());

        await page.TopAds.GetByTestId("sort-ctr").ClickAsync();

        await Expect(page.TopAdRows.First).ToHaveAttributeAsync("data-ad-id", advertiser.Campaigns[1].AdId.ToString());
        await Expect(page.TopAds.Locator("th", new() { Has = page.Page.GetByTestId("sort-ctr") })).ToHaveAttributeAsync("aria-sort", "descending");
    }

    private Task<DashboardAdvertiser> CreateAsync(string name, params string[] campaigns) =>
        DashboardAdvertiser.CreateAsync(api.Factory, api.Scenario, name, campaigns);

    private Task SendAndWaitAsync(DashboardAdvertiser advertiser, DashboardCampaign campaign, int impressions, int clicks) =>
        AdTraffic.SendCountedAsync(advertiser.Client, api.Scenario.Anonymous, campaign.AdId, impressions, clicks);
}
