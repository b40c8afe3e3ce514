using System.Text;
using Azure.Messaging.EventHubs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace Orleans.AdClicks.Streaming;

/// <summary>
/// Reads click log records as Event Hubs delivers them (docs/events.md, "Reading Event Hubs records"): a Kafka record
/// of this Api or any Kafka producer (value = one event, key in <c>x-opt-kafka-key</c>, headers ignored) or an AMQP event
/// (body = one event, partition key ignored but for a mismatch). The stream is derived from the event and the partition
/// (<see cref="ClickPartitionStreams"/>), never from the record's key alone: its ad shard from the partition's hot ads
/// (<see cref="PartitionHotAds"/>) and the impression id. A record that cannot be counted is logged
/// with partition and offset, counted by reason and parked on a stream nothing subscribes to; nothing here throws,
/// because a throw fails the pulling agent's whole read.
/// </summary>
public sealed partial class ClickEventDataAdapter(
    Serializer serializer, int maxEventBytes, PartitionHotAds hotAds, ClickStreamMetrics? metrics, ILogger<ClickEventDataAdapter> logger)
    : EventHubDataAdapter(serializer)
{
    /// <summary>The system property in which Event Hubs' Kafka endpoint hands an AMQP consumer the record key.</summary>
    public const string KafkaKeyProperty = "x-opt-kafka-key";

    /// <summary>For <c>UseDataAdapter</c> of the Event Hubs stream provider.</summary>
    public static ClickEventDataAdapter Create(IServiceProvider services, int maxEventBytes)
    {
        var meters = services.GetService<System.Diagnostics.Metrics.IMeterFactory>();
        return new ClickEventDataAdapter(
            services.GetRequiredService<Serializer>(),
            maxEventBytes,
            services.GetRequiredService<PartitionHotAds>(),
            meters is null ? null : new ClickStreamMetrics(meters),
            services.GetService<ILogger<ClickEventDataAdapter>>() ?? NullLogger<ClickEventDataAdapter>.Instance);
    }

    /// <summary>Decodes the record as it enters the cache, for the stream it belongs to, or the rejected stream.</summary>
    public override StreamPosition GetStreamPosition(string partition, EventData queueMessage)
    {
        var token = new EventHubSequenceTokenV2(queueMessage.OffsetString ?? string.Empty, queueMessage.SequenceNumber, 0);
        StreamId streamId;
        try
        {
            streamId = Read(partition, queueMessage, out var adEvent, out var rejection)
                ? StreamId.Create(ClickPartitionStreams.Namespace(partition), hotAds.For(partition).KeyFor(adEvent.AdId, adEvent.ImpressionId).ToString())
                : Rejected(partition, queueMessage, rejection);
        }
        catch (Exception ex)
        {
            // Defensive: properties of unexpected types from a foreign producer must not fail the read.
            streamId = Rejected(partition, queueMessage, new AdEventRejection(AdEventRejectReason.Malformed, ex.Message));
        }

        return new StreamPosition(streamId, token);
    }

    /// <summary>Keeps the offset and, for a counted stream, the body; not the properties (only the stream needed them).</summary>
    public override CachedMessage FromQueueMessage(StreamPosition streamPosition, EventData queueMessage, DateTime dequeueTime, Func<int, ArraySegment<byte>> getSegment)
    {
        var offset = queueMessage.OffsetString ?? string.Empty;
        var body = streamPosition.StreamId.GetNamespace() == ClickPartitionStreams.RejectedNamespace ? ReadOnlySpan<byte>.Empty : queueMessage.Body.Span;
        var segment = getSegment(SegmentBuilder.CalculateAppendSize(offset) + SegmentBuilder.CalculateAppendSize(body));
        var position = 0;
        SegmentBuilder.Append(segment, ref position, offset);
        SegmentBuilder.Append(segment, ref position, body);
        return new CachedMessage
        {
            StreamId = streamPosition.StreamId,
            SequenceNumber = queueMessage.SequenceNumber,
            EventIndex = streamPosition.SequenceToken.EventIndex,
            EnqueueTimeUtc = queueMessage.EnqueuedTime.UtcDateTime,
            DequeueTimeUtc = dequeueTime,
            Segment = segment,
        };
    }

    public override IBatchContainer GetBatchContainer(ref CachedMessage cachedMessage)
    {
        var position = 0;
        var offset = SegmentBuilder.ReadNextString(cachedMessage.Segment, ref position) ?? string.Empty;
        var body = SegmentBuilder.ReadNextBytes(cachedMessage.Segment, ref position);
        var token = new EventHubSequenceTokenV2(offset, cachedMessage.SequenceNumber, 0);

        // The cache holds the JSON body, so a counted record is decoded a second time here (it parsed when it entered
        // the cache); a rejected record has no body.
        var adEvent = body.Count > 0 && AdEventWire.TryDecode(body, out var decoded, out _) ? decoded : null;
        return new EventHubClickBatchContainer(cachedMessage.StreamId, adEvent, token);
    }

    public override StreamSequenceToken GetSequenceToken(ref CachedMessage cachedMessage) =>
        new EventHubSequenceTokenV2(GetOffset(cachedMessage), cachedMessage.SequenceNumber, 0);

    public override StreamId GetStreamIdentity(EventData queueMessage) =>
        throw new NotSupportedException("A click stream depends on the partition: use GetStreamPosition.");

    /// <summary>The Api writes the click log over the Kafka protocol, never through the stream provider.</summary>
    public override EventData ToQueueMessage<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException("The Event Hubs click log is written by producers (the Api over the Kafka protocol), not through the Orleans stream provider.");

    private bool Read(string partition, EventData record, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AdEvent? adEvent, out AdEventRejection rejection)
    {
        adEvent = null;
        if (record.Body.Length > maxEventBytes)
        {
            rejection = new AdEventRejection(AdEventRejectReason.TooLarge, $"The body has {record.Body.Length} bytes; the limit is {maxEventBytes}.");
            return false;
        }

        if (!AdEventWire.TryDecode(record.Body.Span, out adEvent, out rejection))
        {
            return false;
        }

        // The key only chose the partition. One that names another ad means the producer mixed records up.
        if (RecordKey(record) is { } key && KeyAdId(key) is { } keyAd && keyAd != adEvent.AdId)
        {
            rejection = new AdEventRejection(AdEventRejectReason.KeyMismatch, $"The record key names ad {keyAd:N}, the event ad {adEvent.AdId:N} (partition {partition}).");
            adEvent = null;
            return false;
        }

        return true;
    }

    /// <summary>A Kafka record's key, else an AMQP event's partition key; null when it has neither.</summary>
    internal static string? RecordKey(EventData record)
    {
        if (record.SystemProperties.TryGetValue(KafkaKeyProperty, out var kafkaKey) && kafkaKey is not null)
        {
            return kafkaKey switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                ArraySegment<byte> segment => Encoding.UTF8.GetString(segment),
                ReadOnlyMemory<byte> memory => Encoding.UTF8.GetString(memory.Span),
                BinaryData data => data.ToString(),
                string text => text,
                _ => null,
            };
        }

        return string.IsNullOrEmpty(record.PartitionKey) ? null : record.PartitionKey;
    }

    /// <summary>The ad of a key that is an ad key ("{adId}" or "{adId}#{shard}", the id in any GUID format); null for any other key.</summary>
    private static Guid? KeyAdId(string key)
    {
        var hash = key.IndexOf('#');
        return Guid.TryParse(hash < 0 ? key : key[..hash], out var adId) ? adId : null;
    }

    private StreamId Rejected(string partition, EventData record, AdEventRejection rejection)
    {
        metrics?.Rejected(rejection.Tag);
        LogRejected(partition, record.OffsetString, record.SequenceNumber, rejection.Tag, rejection.Detail);
        return StreamId.Create(ClickPartitionStreams.RejectedNamespace, partition);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event Hubs partition {Partition}, offset {Offset} (sequence number {SequenceNumber}): record skipped: {Reason}: {Detail}")]
    private partial void LogRejected(string partition, string? offset, long sequenceNumber, string reason, string detail);
}
