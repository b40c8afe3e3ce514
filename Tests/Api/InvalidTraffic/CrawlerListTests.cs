using System.Text.Json;
using Orleans.AdClicks.Api.InvalidTraffic;

namespace Orleans.AdClicks.Tests.Api.InvalidTraffic;

public sealed class CrawlerListTests
{
    private static readonly string ShippedList = new InvalidTrafficOptions().ResolvedCrawlerListPath;

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)")]
    [InlineData("curl/8.5.0")]
    public void IsCrawler_ShippedListAndABot_True(string userAgent)
    {
        var list = CrawlerList.Load(ShippedList, 100);

        Assert.True(list.IsCrawler(userAgent));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")]
    [InlineData(null)]
    public void IsCrawler_ShippedListAndABrowser_False(string? userAgent)
    {
        var list = CrawlerList.Load(ShippedList, 100);

        Assert.False(list.IsCrawler(userAgent));
    }

    [Fact]
    public void Load_ShippedList_EveryInstanceItListsIsACrawler()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(ShippedList));
        var instances = document.RootElement.EnumerateArray()
            .SelectMany(e => e.TryGetProperty("instances", out var i) ? i.EnumerateArray().Select(x => x.GetString()!) : []).ToList();

        var list = CrawlerList.Load(ShippedList, 100_000);
        var missed = instances.Where(ua => !list.IsCrawler(ua)).ToList();

        Assert.Empty(list.Rejected);
        Assert.True(list.Patterns > 1000);
        Assert.Empty(missed);
    }

    [Fact]
    public void FromPatterns_APatternDotNetDoesNotCompile_RejectedAndTheRestKept()
    {
        // A possessive quantifier is PCRE, not .NET.
        var list = CrawlerList.FromPatterns(["Googlebot", "bad(bot", "a++b", "Slurp"], 10);

        Assert.Equal(2, list.Patterns);
        Assert.Equal(["bad(bot", "a++b"], list.Rejected);
        Assert.True(list.IsCrawler("Yahoo! Slurp"));
        Assert.False(list.IsCrawler("bad(bot"));
    }

    [Fact]
    public void Load_NotAList_InvalidDataNamingTheFile()
    {
        using var data = new Infrastructure.TempDirectory();
        var path = Path.Combine(data.Path, "list.json");
        File.WriteAllText(path, """{"pattern": "x"}""");

        var error = Assert.Throws<InvalidDataException>(() => CrawlerList.Load(path, 10));

        Assert.Contains(path, error.Message);
    }
}
