using System.ComponentModel.DataAnnotations;

namespace Orleans.AdClicks.Api.InvalidTraffic;

/// <summary>
/// The "AdClicks:InvalidTraffic" section. The thresholds are read per event, so a change applies to the
/// next event; the capacities size the in-memory tables once, at start.
/// </summary>
public sealed class InvalidTrafficOptions
{
    public const string Section = "AdClicks:InvalidTraffic";

    /// <summary>The crawler list (crawler-user-agents' JSON); null for the copy shipped with the Api.</summary>
    public string? CrawlerListPath { get; set; }

    /// <summary>User agents whose crawler verdict is remembered.</summary>
    [Range(100, 10_000_000)]
    public int CrawlerCacheSize { get; set; } = 100_000;

    /// <summary>A click sooner than this after its token was issued is too early; zero turns the rule off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MinClickDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Clicks from one client address on one ad billed per <see cref="AdWindow"/>; zero turns the rule off.</summary>
    [Range(0, 1_000)]
    public int AdClickLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AdWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Clicks from one client address on one campaign billed per <see cref="CampaignWindow"/>; zero turns the rule off.</summary>
    [Range(0, 1_000)]
    public int CampaignClickLimit { get; set; } = 30;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CampaignWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>(address, ad) and (address, campaign) pairs each flood table tracks; the least recently clicked are forgotten.</summary>
    [Range(100, 100_000_000)]
    public int FloodTableSize { get; set; } = 200_000;

    /// <summary>The list shipped with the Api, copied beside its assembly.</summary>
    public string ResolvedCrawlerListPath =>
        CrawlerListPath ?? Path.Combine(AppContext.BaseDirectory, "InvalidTraffic", "crawler-user-agents.json");
}
