using System.ComponentModel.DataAnnotations;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// The "AdClicks:RateLimits" section: token buckets on /api per client address (before any key is
/// checked) and then per verified caller, and on the beacons per client address. A bucket holds
/// <c>Burst</c> permits and refills at <c>PermitsPerSecond</c>.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "AdClicks:RateLimits";

    /// <summary>False turns every limit off (a deployment that limits at its gateway).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Sustained /api requests per second from one client address (IPv4, or IPv6 /64), whatever key they
    /// carry: counted before any key is checked, so a flood of made-up keys meets this limit. Above the
    /// per-key limit, since several advertisers may call from one address (a gateway, an agency).
    /// </summary>
    [Range(1, 1_000_000_000)]
    public int ApiAddressPermitsPerSecond { get; set; } = 1000;

    /// <summary>Most /api requests one client address can make at once after being idle.</summary>
    [Range(1, 1_000_000_000)]
    public int ApiAddressBurst { get; set; } = 2000;

    /// <summary>Sustained /api requests per second for one verified caller: an advertiser (whatever key it holds now), or the admin.</summary>
    [Range(1, 1_000_000_000)]
    public int ApiPermitsPerSecond { get; set; } = 100;

    /// <summary>Most /api requests one verified caller can make at once after being idle.</summary>
    [Range(1, 1_000_000_000)]
    public int ApiBurst { get; set; } = 200;

    /// <summary>Sustained beacon requests (/c, /v) per second from one client address (IPv4, or IPv6 /64).</summary>
    [Range(1, 1_000_000_000)]
    public int BeaconPermitsPerSecond { get; set; } = 50;

    /// <summary>Most beacon requests one client address can make at once after being idle.</summary>
    [Range(1, 1_000_000_000)]
    public int BeaconBurst { get; set; } = 200;

    /// <summary>Sustained tokens minted per second for one advertiser (or the admin), counted per token, not per call.</summary>
    [Range(1, 1_000_000_000)]
    public int PlacementPermitsPerSecond { get; set; } = 10_000;

    /// <summary>Most tokens one advertiser can mint at once after being idle; at least one full batch.</summary>
    [Range(Ads.AdsApi.MaxImpressionBatch, 1_000_000_000)]
    public int PlacementBurst { get; set; } = 20_000;
}
