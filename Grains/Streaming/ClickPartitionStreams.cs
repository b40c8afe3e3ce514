using Orleans.Runtime;

namespace Orleans.AdClicks.Streaming;

/// <summary>
/// The stream identity rule of the Event Hubs click log: the stream key is the ad key (<c>AdKey</c>), the namespace
/// is "clicks.{partition}". A stream is then fed by one partition only, whatever partitioner a producer used, and the
/// one counting grain of an ad shard subscribes to every partition's stream of its key.
/// </summary>
public static class ClickPartitionStreams
{
    private const string Prefix = Constants.ClicksNamespace + ".";

    /// <summary>Where events that cannot be counted go: a namespace nothing subscribes to (one stream per partition).</summary>
    public const string RejectedNamespace = ClickQueueDataAdapter.RejectedNamespace;

    /// <summary>The namespace of the clicks read from <paramref name="partition"/>.</summary>
    public static string Namespace(string partition) => Prefix + partition;

    /// <summary>The Event Hubs partition a click stream is read from; false for the streams of other click logs.</summary>
    public static bool TryGetPartition(StreamId streamId, out string partition)
    {
        var streamNamespace = streamId.GetNamespace();
        if (streamNamespace is not null && streamNamespace.StartsWith(Prefix, StringComparison.Ordinal))
        {
            partition = streamNamespace[Prefix.Length..];
            return true;
        }

        partition = string.Empty;
        return false;
    }
}
