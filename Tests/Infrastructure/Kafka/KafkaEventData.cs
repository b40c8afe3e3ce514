using System.Globalization;
using Azure.Core.Amqp;
using Azure.Messaging.EventHubs;
using Confluent.Kafka;
using Orleans.AdClicks.Tests.Infrastructure.EventHubs;

namespace Orleans.AdClicks.Tests.Infrastructure.Kafka;

/// <summary>
/// A Kafka record as Event Hubs' Kafka endpoint delivers it to an AMQP consumer (the silos' Event Hubs provider):
/// value = body, headers = application properties with byte[] values, key = message annotation
/// <c>x-opt-kafka-key</c> as byte[] (not the partition key), and the service's annotations for sequence number,
/// offset and enqueued time. Lets a test feed the records the Api produced to the mock cluster into an in-memory hub.
/// </summary>
public static class KafkaEventData
{
    public const string KafkaKey = "x-opt-kafka-key";

    /// <param name="enqueuedTime">The hub's append time; the record's own timestamp when not given (the mock cluster's is the producer's).</param>
    public static EventData From(ConsumeResult<byte[], byte[]> record, DateTimeOffset? enqueuedTime = null)
    {
        var message = new AmqpAnnotatedMessage(AmqpMessageBody.FromData([record.Message.Value ?? []]));
        foreach (var header in record.Message.Headers ?? [])
        {
            message.ApplicationProperties[header.Key] = header.GetValueBytes();
        }

        if (record.Message.Key is { } key)
        {
            message.MessageAnnotations[KafkaKey] = key;
        }

        // On the service the offset is an opaque string and the sequence number counts the partition's events;
        // here both come from the Kafka offset, which is what the sequence number is on Event Hubs' Kafka endpoint.
        message.MessageAnnotations["x-opt-sequence-number"] = record.Offset.Value;
        message.MessageAnnotations["x-opt-offset"] = record.Offset.Value.ToString(CultureInfo.InvariantCulture);
        message.MessageAnnotations["x-opt-enqueued-time"] = (enqueuedTime ?? record.Message.Timestamp.UtcDateTime).UtcDateTime;
        return new EventData(message);
    }

    /// <summary>
    /// Appends the records to <paramref name="hub"/>, each to the partition of the same number, as the Kafka endpoint
    /// stores them: the bridge from the Api's producer on the mock cluster to the silos' Event Hubs provider.
    /// </summary>
    public static void CopyTo(IEnumerable<ConsumeResult<byte[], byte[]>> records, InMemoryEventHub hub)
    {
        foreach (var record in records)
        {
            var headers = (record.Message.Headers ?? []).ToDictionary(h => h.Key, h => h.GetValueBytes());
            hub.AppendKafka(record.Partition.Value.ToString(CultureInfo.InvariantCulture), record.Message.Key, record.Message.Value, headers);
        }
    }

    /// <summary>Every record of the topic (see <see cref="KafkaTopic.ReadAll"/>) with its partition id, as a hub's events.</summary>
    public static List<(string PartitionId, EventData Event)> ReadAll(MockKafkaCluster cluster, string topic, int partitions, int expected) =>
        [.. KafkaTopic.ReadAll(cluster, topic, partitions, expected)
            .Select(r => (r.Partition.Value.ToString(CultureInfo.InvariantCulture), From(r)))];
}
