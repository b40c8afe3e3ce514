using System.ComponentModel.DataAnnotations;

namespace Orleans.AdClicks.Hosting;

/// <summary>
/// The "AdClicks:EventHubs" section: the hub that is the click log when <c>ConnectionStrings:EventHubs</c> is set.
/// The Api produces into <see cref="Hub"/> (its Kafka topic); the silos read it as <see cref="ConsumerGroup"/> and keep
/// their checkpoints in <see cref="CheckpointTable"/> of the Azure Storage account.
/// </summary>
public sealed class EventHubsOptions
{
    public const string Section = "AdClicks:EventHubs";

    /// <summary>The event hub (Kafka topic). A connection string's <c>EntityPath</c>, when given, must name the same hub.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$")]
    public string Hub { get; set; } = "clicks";

    /// <summary>The silos' consumer group; no other reader may use it.</summary>
    [Required]
    public string ConsumerGroup { get; set; } = "$Default";

    /// <summary>The Azure table of the silos' checkpoints (one row per partition).</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string CheckpointTable { get; set; } = "ClickCheckpoints";

    /// <summary>How often a partition's checkpoint may be written.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The largest event body the silos read, in bytes; a larger one is refused (<c>too_large</c>) unread. An event is about
    /// 400 bytes; a user agent of the 4,096 characters stores keep, escaped, stays well below the default.
    /// </summary>
    [Range(1_024, 512 * 1_024)]
    public int MaxEventBytes { get; set; } = 64 * 1_024;

    /// <summary>Events each partition receiver buffers ahead of the pulling agent (docs/counting.md, "Event Hubs: cache and back-pressure").</summary>
    [Range(10, 100_000)]
    public int PrefetchCount { get; set; } = 2_000;

    /// <summary>The least time an event stays in a partition's cache, for consumers that fall behind and re-read.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan CacheMinTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far behind the newest event an event may be before it leaves the cache: at a steady rate, how long events stay,
    /// so it sizes the cache's memory; a checkpoint only passes an event once it left.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan CacheMaxAge { get; set; } = TimeSpan.FromMinutes(1);
}
