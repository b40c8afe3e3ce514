using Orleans.AdClicks.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>The dashboard over an Api whose per-advertiser limit a test reaches (RateLimitFixture: a burst of 10, one a second).</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardRateLimitTests(BrowserFixture browser, RateLimitFixture api) : IClassFixture<RateLimitFixture>
{
    [Fact]
    public async Task Error429_LimitReached_ShownAsBannerAndPanelMessage()
    {
        var (_, key) = await api.Scenario.CreateAdvertiserKeyAsync("Hasty Hats");
        await using var page = await browser.OpenAsync(api.Factory.ClientOptions.BaseAddress);
        await page.SignInAsync(key, "Hasty Hats");

        // The same advertiser's bucket, spent by another client of its key: the page's next reads are refused.
        using var other = api.Factory.CreateClient(key);
        await RateLimitTests.SendAsync(3 * RateLimitFixture.ApiBurst, _ => other.GetAsync("/api/campaigns", TestContext.Current.CancellationToken));
        await page.RefreshAfterAsync(() => page.Range.SelectOptionAsync("24h"));

        await Expect(page.ErrorBanner).ToHaveAttributeAsync("role", "alert");
        await DashboardPage.AssertReadableAsync(page.ErrorBanner);
        await Expect(page.SignedInAs).ToContainTextAsync("Hasty Hats");
    }
}
