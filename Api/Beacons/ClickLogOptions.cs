using System.ComponentModel.DataAnnotations;
using Orleans.AdClicks.Streaming;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>The "AdClicks:ClickLog" section.</summary>
public sealed class ClickLogOptions
{
    public const string Section = "AdClicks:ClickLog";

    /// <summary>Counting grains of every ad ("adId#shard" stream keys past shard 0); a hot ad gets more (<see cref="Streaming.HotAds"/>).</summary>
    [Range(1, 64)]
    public int ShardsPerAd { get; set; } = 1;

    /// <summary>
    /// Events per second one counting shard is given before its ad is spread over more (see <see cref="Streaming.HotAds"/>),
    /// measured per Api process; 0 turns the spreading off.
    /// </summary>
    [Range(0, 10_000_000)]
    public int HotAdEventsPerShardPerSecond { get; set; } = 2_000;

    /// <summary>The most shards a hot ad is spread over.</summary>
    [Range(1, 64)]
    public int MaxShardsPerAd { get; set; } = 16;

    /// <summary>How long a hot ad must need no more than half its shards before it gives half back.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan HotAdCoolDown { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Events waiting to be appended before beacons wait for room (backpressure, bounded memory).</summary>
    [Range(1_000, 10_000_000)]
    public int MaxPending { get; set; } = 100_000;

    /// <summary>
    /// Events one ad shard may have waiting behind its append in flight; past it that shard's beacons answer
    /// 503 at once, so a stuck shard cannot take the room of the others.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxPendingPerShard { get; set; } = 5_000;

    /// <summary>Most events in one stream append: an Azure queue message holds at most 64 KB.</summary>
    [Range(1, 10_000)]
    public int MaxEventsPerAppend { get; set; } = 50;

    /// <summary>Largest group of events the pump takes at once.</summary>
    [Range(1, 100_000)]
    public int MaxBatch { get; set; } = 2_000;

    /// <summary>Stream appends in flight at once, over all ad shards (each shard has at most one).</summary>
    [Range(1, 10_000)]
    public int MaxAppendsInFlight { get; set; } = 64;

    /// <summary>The hot-ad spreading these options configure.</summary>
    public HotAdSettings HotAdSettings() => new(ShardsPerAd, HotAdEventsPerShardPerSecond, MaxShardsPerAd, HotAdCoolDown);

    /// <summary>How long stopping waits for the appends of accepted events before it gives up on the rest.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
