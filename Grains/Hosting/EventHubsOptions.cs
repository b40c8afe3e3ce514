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
}
