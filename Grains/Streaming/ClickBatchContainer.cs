using Orleans.AdClicks.Events;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.AdClicks.Streaming;

/// <summary>The events of one click log message, as the pulling agent hands them to the stream's consumers.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.click-batch")]
public sealed class ClickBatchContainer(StreamId streamId, List<AdEvent> events, EventSequenceTokenV2 sequenceToken) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public List<AdEvent> Events { get; } = events;

    [Id(2)]
    public EventSequenceTokenV2 Token { get; } = sequenceToken;

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Events.OfType<T>().Select((e, i) => Tuple.Create<T, StreamSequenceToken>(e, Token.CreateSequenceTokenForEvent(i)));

    // The wire format carries events only; an external producer has no Orleans request context to send.
    public bool ImportRequestContext() => false;

    public override string ToString() => $"[ClickBatchContainer: Stream={StreamId}, Events={Events.Count}]";
}
