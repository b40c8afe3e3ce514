using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orleans.AdClicks.Api.InvalidTraffic;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Tests.Api.InvalidTraffic;

/// <summary>A crawler list of the deployment's own, through the real Api: reloaded on change, bad patterns logged.</summary>
public sealed class CrawlerListReloadTests
{
    [Fact]
    public async Task CrawlerList_FileChangedWhileRunning_LaterClicksUseTheNewList()
    {
        using var data = new TempDirectory();
        var list = Path.Combine(data.Path, "crawlers.json");
        await File.WriteAllTextAsync(list, """[{"pattern": "Googlebot"}]""", TestContext.Current.CancellationToken);
        await using var api = new AdClicksApiFactory(data.Path, settings: new Dictionary<string, string> { ["AdClicks:InvalidTraffic:CrawlerListPath"] = list }).Start();
        var scenario = new ApiScenario(api);
        var (advertiser, campaignId, adId) = await scenario.CreateAdWithOwnerAsync();
        var rules = api.Services.GetRequiredService<InvalidTrafficRules>();
        await ClickAsync(scenario, Token(adId, campaignId), "ExampleFetcher/1.0");
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 0));

        await File.WriteAllTextAsync(list, """[{"pattern": "Googlebot"}, {"pattern": "ExampleFetcher\\/"}]""", TestContext.Current.CancellationToken);
        await Eventually.MatchesAsync(() => Task.FromResult(rules.Crawlers.Patterns), patterns => patterns == 2);
        await ClickAsync(scenario, Token(adId, campaignId), "ExampleFetcher/1.0");
        await ClickAsync(scenario, Token(adId, campaignId), "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");

        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (2, 0));
    }

    [Fact]
    public async Task CrawlerList_APatternDotNetDoesNotCompile_LoggedWithItsCountAndTheRestApply()
    {
        using var data = new TempDirectory();
        var list = Path.Combine(data.Path, "crawlers.json");
        await File.WriteAllTextAsync(list, """[{"pattern": "Googlebot"}, {"pattern": "(?<!x"}, {"pattern": "a++"}]""", TestContext.Current.CancellationToken);
        var logs = new FakeLogCollector();
        await using var api = new AdClicksApiFactory(data.Path, settings: new Dictionary<string, string> { ["AdClicks:InvalidTraffic:CrawlerListPath"] = list })
        {
            ConfigureLogging = logging => logging.AddProvider(new FakeLoggerProvider(logs)),
        }.Start();

        var rules = api.Services.GetRequiredService<InvalidTrafficRules>();

        Assert.Equal(1, rules.Crawlers.Patterns);
        Assert.True(rules.Crawlers.IsCrawler("Googlebot/2.1"));
        var warning = Assert.Single(logs.GetSnapshot(), r => r.Category == typeof(InvalidTrafficRules).FullName && r.Level == LogLevel.Warning);
        Assert.Contains("2 patterns", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_CrawlerListPathNamesNoFile_FailsNamingTheKey()
    {
        using var data = new TempDirectory();
        using var api = new AdClicksApiFactory(data.Path, settings: new Dictionary<string, string> { ["AdClicks:InvalidTraffic:CrawlerListPath"] = Path.Combine(data.Path, "missing.json") });

        var error = Assert.ThrowsAny<Exception>(() => api.Start()).GetBaseException();

        Assert.Contains("AdClicks:InvalidTraffic:CrawlerListPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_NegativeClickLimit_FailsNamingTheSetting()
    {
        using var data = new TempDirectory();
        using var api = new AdClicksApiFactory(data.Path, settings: new Dictionary<string, string> { ["AdClicks:InvalidTraffic:AdClickLimit"] = "-1" });

        var error = Assert.ThrowsAny<Exception>(() => api.Start()).GetBaseException();

        Assert.Contains("AdClickLimit", error.Message, StringComparison.Ordinal);
    }

    private static string Token(Guid adId, Guid campaignId)
    {
        var now = DateTimeOffset.UtcNow;
        return ClickTokenCodec.Encode(
            new ClickToken(AdClicksApiFactory.TestSigningKey.Id, Guid.NewGuid(), adId, campaignId, now, now.AddDays(1)), AdClicksApiFactory.TestSigningKey);
    }

    private static async Task ClickAsync(ApiScenario scenario, string token, string userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/c/{token}") { Headers = { { "User-Agent", userAgent } } };
        Assert.Equal(HttpStatusCode.Redirect, (await scenario.Anonymous.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode);
    }
}
