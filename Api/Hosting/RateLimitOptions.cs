using System.ComponentModel.DataAnnotations;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// The "AdClicks:RateLimits" section: token buckets per API key on /api and per client address on
/// the beacons. A bucket holds <c>Burst</c> permits and refills at <c>PermitsPerSecond</c>.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "AdClicks:RateLimits";

    /// <summary>False turns every limit off (a deployment that limits at its gateway).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sustained /api requests per second for one API key (anonymous calls: per client address).</summary>
    [Range(1, 1_000_000_000)]
    public int ApiPermitsPerSecond { get; set; } = 100;

    /// <summary>Most /api requests one API key can make at once after being idle.</summary>
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
