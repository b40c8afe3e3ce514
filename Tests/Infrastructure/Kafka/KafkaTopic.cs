using System.Diagnostics;
using Confluent.Kafka;

namespace Orleans.AdClicks.Tests.Infrastructure.Kafka;

/// <summary>Reads a topic of a <see cref="MockKafkaCluster"/> from the beginning with a Confluent consumer.</summary>
public static class KafkaTopic
{
    /// <summary>
    /// Every record of <paramref name="partitions"/> partitions, read until <paramref name="expected"/> are there
    /// and no more comes for a moment, or <paramref name="timeout"/> passes (then what was read).
    /// </summary>
    public static List<ConsumeResult<byte[], byte[]>> ReadAll(MockKafkaCluster cluster, string topic, int partitions, int expected, TimeSpan? timeout = null)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            SecurityProtocol = SecurityProtocol.Plaintext,
            GroupId = "tests-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            // Only what the producer's transactions or idempotent batches committed, as Event Hubs would show.
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<byte[], byte[]>>();
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (watch.Elapsed < limit)
        {
            var record = consumer.Consume(records.Count >= expected ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromMilliseconds(200));
            if (record is null)
            {
                if (records.Count >= expected)
                {
                    break;
                }

                continue;
            }

            if (!record.IsPartitionEOF)
            {
                records.Add(record);
            }
        }

        return records;
    }
}
