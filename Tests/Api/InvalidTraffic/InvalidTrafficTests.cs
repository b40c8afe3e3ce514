using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Tests.Api.InvalidTraffic;

/// <summary>Each rule through the real Api: the beacon answers as always, the click is kept and never billed.</summary>
public sealed class InvalidTrafficTests
{
    private const string Googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    [Fact]
    public async Task Click_KnownCrawler_RedirectsAndIsNotBilled()
    {
        await using var api = Start([]);
        var scenario = new ApiScenario(api.Factory);
        var (advertiser, campaignId, adId) = await scenario.CreateAdWithOwnerAsync();

        var crawler = await ClickAsync(scenario, Token(adId, campaignId), Googlebot);
        var browser = await ClickAsync(scenario, Token(adId, campaignId), "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
        var view = await scenario.Anonymous.SendAsync(Request($"/v/{Token(adId, campaignId)}", Googlebot), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, crawler.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, browser.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, view.StatusCode);
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 0));
        await AssertInvalidClicksAsync(advertiser, adId, knownCrawler: 1);
    }

    [Fact]
    public async Task Click_SoonerThanMinClickDelayAfterItsToken_NotBilled()
    {
        await using var api = Start(new() { ["AdClicks:InvalidTraffic:MinClickDelay"] = "00:10:00" });
        var scenario = new ApiScenario(api.Factory);
        var (advertiser, campaignId, adId) = await scenario.CreateAdWithOwnerAsync();
        var now = DateTimeOffset.UtcNow;

        await scenario.ClickAsync(Token(adId, campaignId, now.AddMinutes(-1)));
        await scenario.ClickAsync(Token(adId, campaignId, now.AddMinutes(-11)));
        await scenario.ViewAsync(Token(adId, campaignId, now));

        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 1));
        await AssertInvalidClicksAsync(advertiser, adId, tooEarly: 1);
    }

    [Fact]
    public async Task Click_MoreFromOneAddressOnOneAdThanTheLimit_TheRestNotBilled()
    {
        await using var api = Start(new() { ["AdClicks:InvalidTraffic:AdClickLimit"] = "2" });
        var scenario = new ApiScenario(api.Factory);
        var (advertiser, campaignId, adId) = await scenario.CreateAdWithOwnerAsync();
        var first = Token(adId, campaignId);

        var clicks = new[] { first, Token(adId, campaignId), Token(adId, campaignId), Token(adId, campaignId) };
        foreach (var click in clicks)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await scenario.ClickAsync(click)).StatusCode);
        }

        var other = await scenario.CreateAdWithOwnerAsync();
        await scenario.ClickAsync(Token(other.AdId, other.CampaignId));

        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (2, 0));
        await ApiScenario.WaitForTotalsAsync(other.Advertiser, other.AdId, (1, 0));
        await AssertInvalidClicksAsync(advertiser, adId, addressFlood: 2);
        await AssertInvalidClicksAsync(other.Advertiser, other.AdId);
    }

    [Fact]
    public async Task Click_RetriedWithinTheLimit_NeitherCountedTwiceNorAFlood()
    {
        await using var api = Start(new() { ["AdClicks:InvalidTraffic:AdClickLimit"] = "2" });
        var scenario = new ApiScenario(api.Factory);
        var (advertiser, campaignId, adId) = await scenario.CreateAdWithOwnerAsync();
        var retried = Token(adId, campaignId);

        for (var i = 0; i < 5; i++)
        {
            await scenario.ClickAsync(retried);
        }

        await scenario.ClickAsync(Token(adId, campaignId));

        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (2, 0));
        await AssertInvalidClicksAsync(advertiser, adId);
    }

    [Fact]
    public async Task Click_MoreFromOneAddressOnOneCampaignThanTheLimit_TheRestNotBilled()
    {
        await using var api = Start(new() { ["AdClicks:InvalidTraffic:CampaignClickLimit"] = "3" });
        var scenario = new ApiScenario(api.Factory);
        var (advertiser, campaignId, firstAd) = await scenario.CreateAdWithOwnerAsync();
        var secondAd = await ApiScenario.CreateAdAsync(advertiser, campaignId);

        foreach (var adId in new[] { firstAd, firstAd, secondAd, secondAd })
        {
            await scenario.ClickAsync(Token(adId, campaignId));
        }

        await ApiScenario.WaitForTotalsAsync(advertiser, firstAd, (2, 0));
        await ApiScenario.WaitForTotalsAsync(advertiser, secondAd, (1, 0));
        await AssertInvalidClicksAsync(advertiser, firstAd);
        await AssertInvalidClicksAsync(advertiser, secondAd, campaignFlood: 1);
    }

    [Fact]
    public async Task Clicks_Invalid_NeverSpendTheBudget()
    {
        await using var api = Start([]);
        var scenario = new ApiScenario(api.Factory);
        var (_, advertiser) = await scenario.CreateAdvertiserAsync();
        var created = await advertiser.PostAsJsonAsync("/api/campaigns", new { name = "Small", totalClickBudget = 2 }, TestContext.Current.CancellationToken);
        var campaignId = (await ApiScenario.JsonAsync(created)).GetProperty("id").GetGuid();
        var adId = await ApiScenario.CreateAdAsync(advertiser, campaignId);

        for (var i = 0; i < 3; i++)
        {
            await ClickAsync(scenario, Token(adId, campaignId), Googlebot);
        }

        await scenario.ClickAsync(Token(adId, campaignId));

        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 0));
        var budget = await Eventually.MatchesAsync(
            async () => (await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/analytics/campaigns/{campaignId}?granularity=day", TestContext.Current.CancellationToken))).GetProperty("budget"),
            b => b.GetProperty("spentClicks").GetInt64() > 0);
        var campaign = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/campaigns/{campaignId}", TestContext.Current.CancellationToken));
        Assert.Equal(1, budget.GetProperty("spentClicks").GetInt64());
        Assert.Equal("active", campaign.GetProperty("status").GetString());
        await AssertInvalidClicksAsync(advertiser, adId, knownCrawler: 3);
    }

    [Fact]
    public async Task Click_TokenExpired_RedirectsAndIsCountedAsAnExpiredTokenInvalidClick()
    {
        await using var api = Start([]);
        var scenario = new ApiScenario(api.Factory);
        var (advertiser, campaignId, adId) = await scenario.CreateAdWithOwnerAsync();

        // Issued a day and an hour ago with a day's lifetime: expired an hour ago.
        var expired = await scenario.ClickAsync(Token(adId, campaignId, DateTimeOffset.UtcNow.AddHours(-25)));
        await scenario.ClickAsync(Token(adId, campaignId));

        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 0));
        await AssertInvalidClicksAsync(advertiser, adId, expiredToken: 1);
    }

    [Fact]
    public async Task Threshold_ChangedWhileRunning_AppliesToLaterClicksOnly()
    {
        await using var api = Start([]);
        var scenario = new ApiScenario(api.Factory);
        var (advertiser, campaignId, adId) = await scenario.CreateAdWithOwnerAsync();
        await scenario.ClickAsync(Token(adId, campaignId));
        await scenario.ClickAsync(Token(adId, campaignId));
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (2, 0));

        var configuration = (IConfigurationRoot)api.Services.GetRequiredService<IConfiguration>();
        configuration["AdClicks:InvalidTraffic:MinClickDelay"] = "01:00:00";
        configuration.Reload();
        await scenario.ClickAsync(Token(adId, campaignId));
        await scenario.ClickAsync(Token(adId, campaignId, DateTimeOffset.UtcNow.AddHours(-2)));

        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (3, 0));
        await AssertInvalidClicksAsync(advertiser, adId, tooEarly: 1);
    }

    /// <summary>
    /// The ad's invalid clicks as the analytics API reports them, read after <see cref="ApiScenario.WaitForTotalsAsync"/>
    /// drained its stream: the totals and the sum of the buckets per reason, every reason present, and the hour they are in.
    /// </summary>
    private static async Task AssertInvalidClicksAsync(
        HttpClient client, Guid adId, long expiredToken = 0, long knownCrawler = 0, long tooEarly = 0, long addressFlood = 0, long campaignFlood = 0)
    {
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        var response = await client.GetAsync($"/api/analytics/ads/{adId}?from={from}&to={to}&granularity=hour", TestContext.Current.CancellationToken);
        var answer = await ApiScenario.JsonAsync(response);
        var expected = new Dictionary<string, long>
        {
            ["expiredToken"] = expiredToken,
            ["knownCrawler"] = knownCrawler,
            ["tooEarly"] = tooEarly,
            ["addressFlood"] = addressFlood,
            ["campaignFlood"] = campaignFlood,
        };

        var totals = answer.GetProperty("totals");
        var series = answer.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(expected, totals.GetProperty("invalidClicksByReason").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
        Assert.Equal(expected.Values.Sum(), totals.GetProperty("invalidClicks").GetInt64());
        Assert.All(series, b => Assert.Equal(expected.Keys, b.GetProperty("invalidClicksByReason").EnumerateObject().Select(p => p.Name)));
        Assert.Equal(expected.Values.Sum(), series.Sum(b => b.GetProperty("invalidClicks").GetInt64()));
        Assert.Equal(expected, expected.Keys.ToDictionary(k => k, k => series.Sum(b => b.GetProperty("invalidClicksByReason").GetProperty(k).GetInt64())));
    }

    /// <summary>An Api with the given rules on and the others off, as the other tests run.</summary>
    private static RunningApi Start(Dictionary<string, string> rules)
    {
        var data = new TempDirectory();
        return new RunningApi(new AdClicksApiFactory(data.Path, settings: rules).Start(), data);
    }

    private static string Token(Guid adId, Guid campaignId, DateTimeOffset? issued = null)
    {
        var at = issued ?? DateTimeOffset.UtcNow;
        return ClickTokenCodec.Encode(
            new ClickToken(AdClicksApiFactory.TestSigningKey.Id, Guid.NewGuid(), adId, campaignId, at, at.AddDays(1)), AdClicksApiFactory.TestSigningKey);
    }

    private static Task<HttpResponseMessage> ClickAsync(ApiScenario scenario, string token, string userAgent) =>
        scenario.Anonymous.SendAsync(Request($"/c/{token}", userAgent), TestContext.Current.CancellationToken);

    private static HttpRequestMessage Request(string path, string userAgent) =>
        new(HttpMethod.Get, path) { Headers = { { "User-Agent", userAgent } } };

    private sealed class RunningApi(AdClicksApiFactory factory, TempDirectory data) : IAsyncDisposable
    {
        public IServiceProvider Services => factory.Services;

        public AdClicksApiFactory Factory => factory;

        public async ValueTask DisposeAsync()
        {
            await factory.DisposeAsync();
            data.Dispose();
        }
    }
}
