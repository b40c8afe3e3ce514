using Orleans.AdClicks.Events;
using Orleans.Runtime;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace Orleans.AdClicks.Streaming;

/// <summary>
/// One Event Hubs record of the click log, decoded: its event (none when it was refused) and its place in the partition.
/// The token is Orleans' Event Hubs token, so the cache's pressure monitors and the checkpointer read its offset.
/// </summary>
[GenerateSerializer, Immutable, Alias("adclicks.event-hub-click")]
public sealed class EventHubClickBatchContainer(StreamId streamId, AdEvent? adEvent, EventHubSequenceTokenV2 token) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public AdEvent? Event { get; } = adEvent;

    [Id(2)]
    public EventHubSequenceTokenV2 Token { get; } = token;

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Event is T item ? [Tuple.Create<T, StreamSequenceToken>(item, Token)] : [];

    // A Kafka or AMQP producer has no Orleans request context to send.
    public bool ImportRequestContext() => false;

    public override string ToString() => $"[EventHubClickBatchContainer: Stream={StreamId}, Offset={Token.EventHubOffset}]";
}
