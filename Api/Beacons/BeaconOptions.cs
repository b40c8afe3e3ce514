using System.ComponentModel.DataAnnotations;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>The "AdClicks:Beacons" section.</summary>
public sealed class BeaconOptions
{
    public const string Section = "AdClicks:Beacons";

    /// <summary>
    /// Longest a beacon waits for its ad's target and its append; past it the beacon answers 503 and the
    /// browser may retry (a retry of an event that did land is refused as a duplicate).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Ads whose target URL is cached (about 250 bytes each plus the URL); an ad not cached costs a grain call.</summary>
    [Range(1, 100_000_000)]
    public int TargetCacheSize { get; set; } = 2_500_000;
}
