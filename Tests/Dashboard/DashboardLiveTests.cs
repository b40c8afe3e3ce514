using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>The dashboard in Chromium over clicks sent now, through the real Api on a real port.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardLiveTests(BrowserFixture browser, ApiFixture api) : IClassFixture<ApiFixture>
{
    private Uri Address => api.Factory.ClientOptions.BaseAddress;

    [Fact]
    public async Task Chart_ClicksSent_ShownByTheFirstRefreshAfterTheyAreCounted()
    {
        var advertiser = await CreateAsync("Fabrikam Fans", "Spring launch");
        await using var page = await browser.OpenAsync(Address);
        await page.SignInAsync(advertiser.ApiKey, advertiser.Name);
        await page.RefreshAfterAsync(() => page.Range.SelectOptionAsync("30m"));
        await Expect(page.Kpi("clicks")).ToHaveAttributeAsync("data-value", "0");

        var ad = advertiser.Campaigns[0].AdId;
        await AdTraffic.SendAsync(advertiser.Client, api.Scenario.Anonymous, ad, impressions: 8, clicks: 3);
        await AdTraffic.WaitForAdAsync(advertiser.Client, ad, clicks: 3, impressions: 8);
        var counted = await page.ReadyGenerationAsync();
        await page.RefreshedAfterAsync(counted);

        await Expect(page.Kpi("clicks")).ToHaveAttributeAsync("data-value", "3");
        await Expect(page.Kpi("impressions")).ToHaveAttributeAsync("data-value", "8");
        Assert.Equal(0.375, await DashboardPage.NumberAsync(page.Kpi("ctr")));
        Assert.Equal(3, await page.SeriesSumAsync("clicks"));
        Assert.Equal(8, await page.SeriesSumAsync("impressions"));
        await Expect(page.Page.GetByTestId("series-chart").Locator("canvas").First).ToBeVisibleAsync();
        await Expect(page.Page.GetByTestId("as-of")).Not.ToBeEmptyAsync();
        // The bucket of now is still filling.
        await Expect(page.SeriesRows.Last).ToHaveAttributeAsync("data-partial", "true");
    }

    [Fact]
    public async Task LiveRefresh_TabHidden_PausesAndResumesWhenShownAgain()
    {
        var advertiser = await CreateAsync("Sleepy Sloths", "Night owls");
        await using var page = await browser.OpenAsync(Address);
        await page.SignInAsync(advertiser.ApiKey, advertiser.Name);
        await page.RefreshAfterAsync(() => page.Range.SelectOptionAsync("30m"));
        await Expect(page.Dashboard).ToHaveAttributeAsync("data-live", "polling");

        // Headless Chromium's page is always visible: the test makes the document say otherwise, as a hidden tab's does.
        await SetHiddenAsync(page, hidden: true);

        await Expect(page.Dashboard).ToHaveAttributeAsync("data-live", "paused");
        await Expect(page.Page.Locator("#live-state")).ToContainTextAsync("paused");
        // Paused means no refresh is scheduled: the one under way, if any, was the last.
        var paused = await page.ReadyGenerationAsync();
        await Expect(page.Dashboard).ToHaveAttributeAsync("data-live", "paused");

        var requests = 0;
        page.Page.Request += (_, request) => requests += request.Url.Contains("/api/", StringComparison.Ordinal) ? 1 : 0;
        await SetHiddenAsync(page, hidden: false);

        await page.RefreshedAfterAsync(paused);
        await Expect(page.Dashboard).ToHaveAttributeAsync("data-live", "polling");
        Assert.True(requests > 0);
    }

    private static Task SetHiddenAsync(DashboardPage page, bool hidden) => page.Page.EvaluateAsync(
        """
        hidden => {
          Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
          Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
          document.dispatchEvent(new Event("visibilitychange"));
        }
        """,
        hidden);

    [Fact]
    public async Task CsvExport_TopAdsAndSeries_HoldExactlyTheRowsShown()
    {
        var advertiser = await CreateAsync("Export, \"Quoted\" & Co", "Export one", "Export two");
        await SendAndWaitAsync(advertiser, advertiser.Campaigns[0], impressions: 4, clicks: 2);
        await SendAndWaitAsync(advertiser, advertiser.Campaigns[1], impressions: 3, clicks: 1);
        await using var page = await browser.OpenAsync(Address);
        await page.SignInAsync(advertiser.ApiKey, advertiser.Name);
        await page.RefreshAfterAsync(async () =>
        {
            await page.Range.SelectOptionAsync("1h");
            await page.Page.GetByTestId("live").SetCheckedAsync(false);
        });
        await Expect(page.TopAdRows).ToHaveCountAsync(2);

        var topAds = Csv.Parse(await page.ExportAsync("top-ads"));
        var series = Csv.Parse(await page.ExportAsync("series"));

        Csv.AssertHoldsRows(topAds, await DashboardPage.RowValuesAsync(page.TopAdRows));
        Csv.AssertHoldsRows(series, await DashboardPage.RowValuesAsync(page.SeriesRows));
        Assert.Contains(topAds.Skip(1), row => row.Contains(advertiser.Campaigns[0].AdId.ToString()) || row.Contains("Export one banner"));
    }

    [Fact]
    public async Task SecondAdvertiser_SignedIn_SeesNoneOfTheFirstOnesData()
    {
        var first = await CreateAsync("Secretive Soaps", "Secret campaign 7f3a");
        await SendAndWaitAsync(first, first.Campaigns[0], impressions: 5, clicks: 2);
        var second = await CreateAsync("Other Oats", "Open campaign");
        await SendAndWaitAsync(second, second.Campaigns[0], impressions: 2, clicks: 1);
        await using var page = await browser.OpenAsync(Address);

        await page.SignInAsync(second.ApiKey, second.Name);
        await page.RefreshAfterAsync(() => page.Range.SelectOptionAsync("1h"));

        await Expect(page.Page.GetByTestId("campaigns").Locator($"tr[data-campaign-id='{second.Campaigns[0].Id}']")).ToBeVisibleAsync();
        await Expect(page.Kpi("clicks")).ToHaveAttributeAsync("data-value", "1");
        var html = await page.Page.ContentAsync();
        foreach (var secret in new[] { first.Name, first.Campaigns[0].Name, first.Id.ToString(), first.Campaigns[0].Id.ToString(), first.Campaigns[0].AdId.ToString() })
        {
            Assert.DoesNotContain(secret, html, StringComparison.OrdinalIgnoreCase);
        }

        await Expect(page.Page.GetByTestId("advertiser-picker")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Admin_PicksAdvertiser_SeesItsCampaignsAndCounts()
    {
        var advertiser = await CreateAsync("Picked Pears", "Pear promo");
        await SendAndWaitAsync(advertiser, advertiser.Campaigns[0], impressions: 7, clicks: 3);
        await using var page = await browser.OpenAsync(Address);
        await page.SignInAsync(api.Factory.AdminKey, "Admin");
        var picker = page.Page.GetByLabel("Advertiser", new() { Exact = true });
        await Expect(picker).ToHaveAttributeAsync("data-testid", "advertiser-picker");

        await page.RefreshAfterAsync(async () =>
        {
            await picker.SelectOptionAsync(advertiser.Id.ToString());
            await page.Range.SelectOptionAsync("1h");
        });
        await page.FreshAsync();

        await Expect(page.Page.GetByTestId("campaigns").Locator($"tr[data-campaign-id='{advertiser.Campaigns[0].Id}']")).ToContainTextAsync("Pear promo");
        await Expect(page.Kpi("clicks")).ToHaveAttributeAsync("data-value", "3");
        await Expect(page.TopAdRows).ToHaveCountAsync(1);
        await Expect(page.TopAdRows).ToHaveAttributeAsync("data-ad-id", advertiser.Campaigns[0].AdId.ToString());
    }

    [Fact]
    public async Task Layout_375PixelsWide_NoHorizontalScroll()
    {
        var advertiser = await CreateAsync("Narrow Noodles", "A campaign with a rather long name to wrap on a phone");
        await SendAndWaitAsync(advertiser, advertiser.Campaigns[0], impressions: 3, clicks: 1);
        await using var page = await browser.OpenAsync(Address, width: 375, height: 812);
        await page.GotoAsync();
        Assert.True(await FitsAsync(page), "the sign-in page scrolls sideways at 375 px");

        await page.SignInAsync(advertiser.ApiKey, advertiser.Name);
        await page.RefreshAfterAsync(() => page.Range.SelectOptionAsync("1h"));
        await Expect(page.TopAdRows).ToHaveCountAsync(1);

        Assert.True(await FitsAsync(page), "the dashboard scrolls sideways at 375 px");
    }

    [Fact]
    public async Task Error404_CampaignGoneWhileDrilledDown_ShownAsReadableMessageInThePanels()
    {
        var advertiser = await CreateAsync("Vanishing Vans", "Soon unknown");
        await SendAndWaitAsync(advertiser, advertiser.Campaigns[0], impressions: 2, clicks: 1);
        await using var page = await browser.OpenAsync(Address);
        await page.SignInAsync(advertiser.ApiKey, advertiser.Name);
        await page.RefreshAfterAsync(() => page.Range.SelectOptionAsync("1h"));
        var campaign = advertiser.Campaigns[0].Id.ToString();
        // The page's requests about this campaign go to the real Api about one nobody owns: its real 404 comes back.
        await page.Page.RouteAsync("**/api/**", route => route.Request.Url.Contains(campaign, StringComparison.Ordinal)
            ? route.ContinueAsync(new RouteContinueOptions { Url = route.Request.Url.Replace(campaign, Guid.NewGuid().ToString(), StringComparison.Ordinal) })
            : route.ContinueAsync());

        var answer = await page.Page.RunAndWaitForResponseAsync(
            () => page.RefreshAfterAsync(() => page.TopAdRows.First.GetByTestId("drill-campaign").ClickAsync()),
            response => response.Url.Contains("/api/analytics/campaigns/", StringComparison.Ordinal));

        Assert.Equal(404, answer.Status);

        var error = page.Page.GetByTestId("series-error");
        await Expect(error).ToHaveAttributeAsync("role", "alert");
        await DashboardPage.AssertReadableAsync(error);
    }

    [Fact]
    public async Task Error503_AnalyticsUnavailable_ShownAsBannerAndPanelMessage()
    {
        var advertiser = await CreateAsync("Unlucky Umbrellas", "Rainy day");
        await using var page = await browser.OpenAsync(Address);
        await page.SignInAsync(advertiser.ApiKey, advertiser.Name);
        // The Api answers 503 when its analytics store is down, which no test here can make happen on the embedded
        // store; this fulfils the page's analytics requests with that answer, so it tests the page's rendering of it.
        await page.Page.RouteAsync("**/api/analytics/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 503,
            ContentType = "application/problem+json",
            Headers = new Dictionary<string, string> { ["Retry-After"] = "5" },
            Body = JsonSerializer.Serialize(new
            {
                type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
                title = "Analytics unavailable",
                status = 503,
                detail = "The aggregate store did not answer; retry shortly.",
            }),
        }));

        await page.RefreshAfterAsync(() => page.Range.SelectOptionAsync("1h"));

        await Expect(page.ErrorBanner).ToHaveAttributeAsync("role", "alert");
        await DashboardPage.AssertReadableAsync(page.ErrorBanner);
        await Expect(page.Page.GetByTestId("series-error")).ToBeVisibleAsync();
        await DashboardPage.AssertReadableAsync(page.Page.GetByTestId("kpis-error"));
        await Expect(page.SignedInAs).ToContainTextAsync(advertiser.Name);
    }

    [Fact]
    public async Task TopAds_CrawlerClick_ShownAsInvalidBesideTheBilledClicks()
    {
        var advertiser = await CreateAsync("Crawled Corp", "Indexed");
        var ad = advertiser.Campaigns[0].AdId;
        await SendAndWaitAsync(advertiser, advertiser.Campaigns[0], impressions: 2, clicks: 1);
        var placed = await advertiser.Client.PostAsync($"/api/ads/{ad}/impressions", null, TestContext.Current.CancellationToken);
        var token = (await ApiScenario.JsonAsync(placed)).GetProperty("token").GetString();
        using var crawl = new HttpRequestMessage(HttpMethod.Get, $"/c/{token}") { Headers = { { "User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" } } };
        Assert.Equal(HttpStatusCode.Redirect, (await api.Scenario.Anonymous.SendAsync(crawl, TestContext.Current.CancellationToken)).StatusCode);
        await Eventually.MatchesAsync(
            async () => (await ApiScenario.JsonAsync(await advertiser.Client.GetAsync($"/api/analytics/ads/{ad}", TestContext.Current.CancellationToken))).GetProperty("totals").GetProperty("invalidClicks").GetInt64(),
            invalid => invalid == 1);

        await using var page = await browser.OpenAsync(Address);
        await page.SignInAsync(advertiser.ApiKey, advertiser.Name);
        await page.RefreshAfterAsync(() => page.Range.SelectOptionAsync("1h"));

        var row = page.TopAdRows.First;
        await Expect(page.TopAdRows).ToHaveCountAsync(1);
        await Expect(row.Locator("td[data-col=clicks]")).ToHaveAttributeAsync("data-value", "1");
        await Expect(row.Locator("td[data-col=invalid]")).ToHaveAttributeAsync("data-value", "1");
        await Expect(row.Locator("td[data-col=invalid]")).ToHaveAttributeAsync("title", "knownCrawler: 1");
    }

    private Task<DashboardAdvertiser> CreateAsync(string name, params string[] campaigns) =>
        DashboardAdvertiser.CreateAsync(api.Factory, api.Scenario, name, campaigns);

    private Task SendAndWaitAsync(DashboardAdvertiser advertiser, DashboardCampaign campaign, int impressions, int clicks) =>
        AdTraffic.SendCountedAsync(advertiser.Client, api.Scenario.Anonymous, campaign.AdId, impressions, clicks);

    private static Task<bool> FitsAsync(DashboardPage page) =>
        page.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth");
}
