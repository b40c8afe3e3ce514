using System.Net;
using System.Text.Json;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>
/// GET /api/analytics/{ads|campaigns}/{id}/breakdown through the real Api: real beacons with real user agents, enriched
/// at the beacon (uap-core, a tiny country database), counted by the grains, read from DuckDB.
/// </summary>
public sealed class BreakdownsApiTests(BreakdownsApiFixture fixture) : IClassFixture<BreakdownsApiFixture>
{
    private const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private const string SafariOnIPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
    private const string SafariOnIPad = "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1";
    private const string ChromeOnAndroidPhone = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
    private const string Googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdBreakdown_ClicksFromDeviceClasses_CountedPerValue_CrawlerClicksLeftOut()
    {
        var (advertiser, _, adId) = await fixture.Scenario.CreateAdWithOwnerAsync();
        await ClickAsync(advertiser, adId, ChromeOnWindows, view: true);
        await ClickAsync(advertiser, adId, ChromeOnWindows, view: false);
        await ClickAsync(advertiser, adId, SafariOnIPhone, view: true);
        await ClickAsync(advertiser, adId, SafariOnIPad, view: false);
        await ClickAsync(advertiser, adId, ChromeOnAndroidPhone, view: false);
        await ClickAsync(advertiser, adId, Googlebot, view: true);
        await ClickAsync(advertiser, adId, userAgent: null, view: false);

        var devices = await WaitForBreakdownAsync(advertiser, $"/api/analytics/ads/{adId}/breakdown?by=device",
            [("desktop", 2, 1), ("mobile", 2, 1), ("tablet", 1, 0), ("unknown", 1, 0)]);
        var browsers = await WaitForBreakdownAsync(advertiser, $"/api/analytics/ads/{adId}/breakdown?by=browser",
            [("Chrome", 2, 1), ("Mobile Safari", 2, 1), ("Chrome Mobile", 1, 0), ("unknown", 1, 0)]);
        var systems = await WaitForBreakdownAsync(advertiser, $"/api/analytics/ads/{adId}/BREAKDOWN?by=OS",
            [("Windows", 2, 1), ("iOS", 2, 1), ("Android", 1, 0), ("unknown", 1, 0)]);
        var countries = await WaitForBreakdownAsync(advertiser, $"/api/analytics/ads/{adId}/breakdown?by=country",
            [(BreakdownsApiFixture.LoopbackCountry, 6, 2)]);

        Assert.Equal(adId, devices.GetProperty("adId").GetGuid());
        Assert.False(devices.TryGetProperty("campaignId", out _));
        Assert.Equal("device", devices.GetProperty("by").GetString());
        Assert.Equal("os", systems.GetProperty("by").GetString());
        Assert.Equal((6, 2), Totals(devices));
        Assert.Equal(Totals(devices), Totals(browsers));
        Assert.Equal(Totals(devices), Totals(countries));
        Assert.Equal(2.0, devices.GetProperty("items")[0].GetProperty("ctr").GetDouble());
        // The minute rows and the breakdown rows of one flush are two writes that may land in different commits.
        Assert.Equal(Totals(devices), await Eventually.MatchesAsync(() => SeriesTotalsAsync(advertiser, adId), totals => totals == Totals(devices)));
    }

    [Fact]
    public async Task CampaignBreakdown_SumsItsAds()
    {
        var (advertiser, campaignId, first) = await fixture.Scenario.CreateAdWithOwnerAsync();
        var second = await ApiScenario.CreateAdAsync(advertiser, campaignId);
        await ClickAsync(advertiser, first, SafariOnIPhone, view: true);
        await ClickAsync(advertiser, second, SafariOnIPhone, view: false);
        await ClickAsync(advertiser, second, ChromeOnWindows, view: false);

        var campaign = await WaitForBreakdownAsync(advertiser, $"/api/analytics/campaigns/{campaignId}/breakdown?by=device", [("mobile", 2, 1), ("desktop", 1, 0)]);

        Assert.Equal(campaignId, campaign.GetProperty("campaignId").GetGuid());
        Assert.False(campaign.TryGetProperty("adId", out _));
    }

    [Fact]
    public async Task Breakdown_FromAndToInsideHours_RoundedOutwardToWholeHoursAndEchoed()
    {
        var (advertiser, _, adId) = await fixture.Scenario.CreateAdWithOwnerAsync();

        var response = await advertiser.GetAsync($"/api/analytics/ads/{adId}/breakdown?by=device&from=2026-11-28T10:15:00Z&to=2026-11-28T11:20:00Z", Cancel);
        var body = await ApiScenario.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero), body.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), body.GetProperty("to").GetDateTimeOffset());
        Assert.False(body.GetProperty("partial").GetBoolean());
        Assert.Equal(0, body.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Breakdown_NoRange_TheLast24WholeHoursUpToTheOneFilling()
    {
        var (advertiser, _, adId) = await fixture.Scenario.CreateAdWithOwnerAsync();

        var body = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/analytics/ads/{adId}/breakdown?by=country", Cancel));

        var (from, to) = (body.GetProperty("from").GetDateTimeOffset(), body.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(TimeSpan.FromHours(24), to - from);
        Assert.Equal(0, to.UtcTicks % TimeSpan.TicksPerHour);
        Assert.InRange(to - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromHours(1));
        Assert.True(body.GetProperty("partial").GetBoolean());
    }

    [Theory]
    [InlineData("", "by")]
    [InlineData("by=colour", "by")]
    [InlineData("by=device&from=yesterday", "from")]
    [InlineData("by=device&to=2026-13-01", "to")]
    [InlineData("by=device&from=2026-11-28T12:00:00Z&to=2026-11-28T10:00:00Z", "from")]
    [InlineData("by=device&from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    public async Task Breakdown_BadParameter_ProblemNamingIt(string query, string field)
    {
        var (advertiser, campaignId, adId) = await fixture.Scenario.CreateAdWithOwnerAsync();

        foreach (var path in new[] { $"/api/analytics/ads/{adId}/breakdown?{query}", $"/api/analytics/campaigns/{campaignId}/breakdown?{query}" })
        {
            var response = await advertiser.GetAsync(path, Cancel);
            var body = await ApiScenario.JsonAsync(response);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
        }
    }

    [Fact]
    public async Task Breakdown_AnotherAdvertisersAdOrCampaign_NotFoundBeforeValidation_AdminSeesIt()
    {
        var (owner, campaignId, adId) = await fixture.Scenario.CreateAdWithOwnerAsync();
        var (_, other) = await fixture.Scenario.CreateAdvertiserAsync("Other");
        await ClickAsync(owner, adId, ChromeOnWindows, view: false);
        await WaitForBreakdownAsync(owner, $"/api/analytics/ads/{adId}/breakdown?by=device", [("desktop", 1, 0)]);

        var otherAd = await other.GetAsync($"/api/analytics/ads/{adId}/breakdown?by=device", Cancel);
        var otherCampaign = await other.GetAsync($"/api/analytics/campaigns/{campaignId}/breakdown?by=nonsense", Cancel);
        var unknown = await owner.GetAsync($"/api/analytics/ads/{Guid.NewGuid()}/breakdown?by=device", Cancel);
        var admin = await ApiScenario.JsonAsync(await fixture.Scenario.Admin.GetAsync($"/api/analytics/campaigns/{campaignId}/breakdown?by=device", Cancel));
        var anonymous = await fixture.Scenario.Anonymous.GetAsync($"/api/analytics/ads/{adId}/breakdown?by=device", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, otherAd.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherCampaign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal((1, 0), Totals(admin));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    /// <summary>Places the ad once and clicks it with <paramref name="userAgent"/> (none when null), after a view of it when <paramref name="view"/>.</summary>
    private async Task ClickAsync(HttpClient advertiser, Guid adId, string? userAgent, bool view)
    {
        var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);
        if (view)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await SendAsync($"/v/{token}", userAgent)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await SendAsync($"/c/{token}", userAgent)).StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(string path, string? userAgent)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        return fixture.Scenario.Anonymous.SendAsync(request, Cancel);
    }

    /// <summary>Polls the breakdown until its items are exactly <paramref name="expected"/> in order; fails on any over-count.</summary>
    private static async Task<JsonElement> WaitForBreakdownAsync(HttpClient client, string path, (string Value, long Clicks, long Impressions)[] expected)
    {
        return await Eventually.MatchesAsync(
            async () =>
            {
                var response = await client.GetAsync(path, Cancel);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await ApiScenario.JsonAsync(response);
            },
            body => Items(body).SequenceEqual(expected),
            eachSample: body => Assert.All(Items(body), item => Assert.Contains(expected, e => e.Value == item.Value && item.Clicks <= e.Clicks && item.Impressions <= e.Impressions)));
    }

    private static IEnumerable<(string Value, long Clicks, long Impressions)> Items(JsonElement body) =>
        body.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("value").GetString()!, i.GetProperty("clicks").GetInt64(), i.GetProperty("impressions").GetInt64()));

    private static (long Clicks, long Impressions) Totals(JsonElement body) =>
        (body.GetProperty("totals").GetProperty("clicks").GetInt64(), body.GetProperty("totals").GetProperty("impressions").GetInt64());

    private static async Task<(long Clicks, long Impressions)> SeriesTotalsAsync(HttpClient client, Guid adId)
    {
        var body = await ApiScenario.JsonAsync(await client.GetAsync($"/api/analytics/ads/{adId}?granularity=hour&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-23).ToString("O"))}", Cancel));
        return Totals(body);
    }
}
