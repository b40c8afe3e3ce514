using System.Net;
using Orleans.AdClicks.Enrichment;

namespace Orleans.AdClicks.Tests.Enrichment;

public sealed class EventEnricherTests : IDisposable
{
    private const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private const string SafariOnIPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
    private const string SafariOnIPad = "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1";
    private const string ChromeOnAndroidPhone = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
    private const string ChromeOnAndroidTablet = "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private const string Googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    private static readonly UserAgentRules Rules = UserAgentRules.Load(UserAgentRules.DefaultPath);

    private readonly string database = Path.Combine(Path.GetTempPath(), $"countries-{Guid.NewGuid():N}.mmdb");

    public EventEnricherTests() =>
        new MmdbWriter().Add("81.2.69.0/24", "GB").Add("2a02:d000::/32", "DE").Save(database);

    [Theory]
    [InlineData(ChromeOnWindows, "desktop", "Chrome", "Windows")]
    [InlineData(SafariOnIPhone, "mobile", "Mobile Safari", "iOS")]
    [InlineData(SafariOnIPad, "tablet", "Mobile Safari", "iOS")]
    [InlineData(ChromeOnAndroidPhone, "mobile", "Chrome Mobile", "Android")]
    [InlineData(ChromeOnAndroidTablet, "tablet", "Chrome", "Android")]
    [InlineData(Googlebot, "bot", "Googlebot", "Other")]
    [InlineData("curl/8.5.0", "other", "curl", "Other")]
    public void Enrich_UserAgent_GivesDeviceClassBrowserAndOsFamilies(string userAgent, string device, string browser, string os)
    {
        using var enricher = new EventEnricher(Rules, null, 100);

        var enrichment = enricher.Enrich(userAgent, IPAddress.Parse("81.2.69.160"));

        Assert.Equal(new EnrichedFields(device, browser, os, null), enrichment);
    }

    [Fact]
    public void Enrich_NoUserAgent_LeavesClassesNull()
    {
        using var enricher = new EventEnricher(Rules, null, 100);

        Assert.Equal(EnrichedFields.None, enricher.Enrich(null, null));
    }

    [Theory]
    [InlineData("81.2.69.160", "GB")]
    [InlineData("::ffff:81.2.69.1", "GB")]
    [InlineData("2a02:d000:1::5", "DE")]
    [InlineData("81.2.70.1", null)]
    [InlineData("2001:db8::1", null)]
    [InlineData("10.0.0.1", null)]
    public void Enrich_ClientAddress_GivesItsCountryFromTheDatabase(string address, string? country)
    {
        using var enricher = new EventEnricher(Rules, EventEnricher.OpenCountries(database), 100);

        Assert.Equal(country, enricher.Enrich(ChromeOnWindows, IPAddress.Parse(address)).Country);
    }

    [Fact]
    public void OpenCountries_MissingFile_FailsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => EventEnricher.OpenCountries(database + ".missing"));

        Assert.Contains("AdClicks:Enrichment:CountryDatabasePath", error.Message);
    }

    [Fact]
    public void OpenCountries_NotADatabase_FailsNamingTheSetting()
    {
        File.WriteAllText(database, "not a database");

        var error = Assert.Throws<InvalidOperationException>(() => EventEnricher.OpenCountries(database));

        Assert.Contains("AdClicks:Enrichment:CountryDatabasePath", error.Message);
    }

    [Fact]
    public void Enrich_RuleTimedOut_AnswersWithoutCachingAndRunsTheRulesAgain()
    {
        // The first browser rule backtracks exponentially on a run of "a" without the closing "b", so it times out
        // and the next rule answers; once the rule no longer times out, its more specific answer is the one cached.
        var path = Path.Combine(Path.GetTempPath(), $"regexes-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, """
            user_agent_parsers:
              - regex: '^(a|aa)+b'
                family_replacement: 'Specific'
              - regex: '^a'
                family_replacement: 'General'
            os_parsers: []
            device_parsers: []
            """);
        try
        {
            var slow = UserAgentRules.Load(path, TimeSpan.FromMilliseconds(10));
            using var enricher = new EventEnricher(slow, null, 100);
            var pathological = new string('a', 60);

            Assert.Equal("General", enricher.Enrich(pathological, null).Browser);
            Assert.Equal(0, enricher.CachedUserAgents);

            Assert.Equal("Specific", enricher.Enrich("aab", null).Browser);
            Assert.Equal(1, enricher.CachedUserAgents);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public void Dispose() => File.Delete(database);
}
