namespace Orleans.AdClicks;

/// <summary>Names of the stream, providers and storages that silo and clients must agree on.</summary>
public static class Constants
{
    /// <summary>The stream provider that carries the click log.</summary>
    public const string StreamProvider = "ClickLog";

    /// <summary>The stream namespace of clicks and impressions; the stream key is the ad key.</summary>
    public const string ClicksNamespace = "clicks";

    /// <summary>
    /// What the counting subscribers subscribe to: <see cref="ClicksNamespace"/>, and "clicks.{partition}", one namespace per
    /// Event Hubs partition, so a stream is never fed from two partitions (docs/events.md, "Stream identity").
    /// </summary>
    public const string ClicksNamespacePattern = @"^clicks(\.[0-9A-Za-z_-]+)?$";

    /// <summary>Grain state of advertisers, campaigns and ads.</summary>
    public const string GrainStore = "AdClicksStore";

    /// <summary>Stream pub-sub state (required by persistent stream providers).</summary>
    public const string PubSubStore = "PubSubStore";
}
