using System.Globalization;
using System.Text;
using Azure.Core.Amqp;
using Azure.Messaging.EventHubs;

namespace Orleans.AdClicks.Tests.Infrastructure.EventHubs;

/// <summary>
/// An event hub in memory: partitions of records shaped exactly as the service hands them to an AMQP consumer (message
/// annotations <c>x-opt-sequence-number</c>, <c>x-opt-offset</c>, <c>x-opt-enqueued-time</c>, and <c>x-opt-kafka-key</c>
/// for a record written over the Kafka protocol or <c>x-opt-partition-key</c> for an AMQP event with a partition key).
/// Records are kept for the test's life (its "retention"); shared by every silo of a cluster and across restarts.
/// </summary>
public sealed class InMemoryEventHub
{
    private readonly Dictionary<string, List<(long Offset, AmqpAnnotatedMessage Message)>> _partitions;
    private readonly Dictionary<string, long> _nextOffset;
    private readonly Lock _lock = new();
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InMemoryEventHub(int partitions)
    {
        PartitionIds = [.. Enumerable.Range(0, partitions).Select(i => i.ToString(CultureInfo.InvariantCulture))];
        _partitions = PartitionIds.ToDictionary(p => p, _ => new List<(long, AmqpAnnotatedMessage)>());
        _nextOffset = PartitionIds.ToDictionary(p => p, _ => 0L);
    }

    public string[] PartitionIds { get; }

    /// <summary>Records appended, over all partitions.</summary>
    public long RecordsWritten { get; private set; }

    /// <summary>Records handed to readers, over all partitions: above <see cref="RecordsWritten"/> once some were read again (replays).</summary>
    public long RecordsRead { get; private set; }

    /// <summary>A record as the Kafka endpoint stores it: the key in <c>x-opt-kafka-key</c>, headers as byte[] application properties.</summary>
    public void AppendKafka(string partition, byte[]? key, byte[] value, IReadOnlyDictionary<string, byte[]>? headers = null)
    {
        var message = new AmqpAnnotatedMessage(AmqpMessageBody.FromData([value]));
        if (key is not null)
        {
            message.MessageAnnotations["x-opt-kafka-key"] = key;
        }

        foreach (var (name, header) in headers ?? new Dictionary<string, byte[]>())
        {
            message.ApplicationProperties[name] = header;
        }

        Append(partition, message);
    }

    /// <summary>A record written with the ad key as the Kafka key, UTF-8, as this Api writes it.</summary>
    public void AppendKafka(string partition, string key, byte[] value) => AppendKafka(partition, Encoding.UTF8.GetBytes(key), value);

    /// <summary>An event written over AMQP, with a partition key when given.</summary>
    public void AppendAmqp(string partition, string? partitionKey, byte[] body, IReadOnlyDictionary<string, object>? properties = null)
    {
        var message = new AmqpAnnotatedMessage(AmqpMessageBody.FromData([body]));
        if (partitionKey is not null)
        {
            message.MessageAnnotations["x-opt-partition-key"] = partitionKey;
        }

        foreach (var (name, value) in properties ?? new Dictionary<string, object>())
        {
            message.ApplicationProperties[name] = value;
        }

        Append(partition, message);
    }

    /// <summary>Records of <paramref name="partition"/> from the first whose offset is at least <paramref name="offset"/>, at most <paramref name="max"/>.</summary>
    internal List<EventData> Read(string partition, long offset, int max)
    {
        lock (_lock)
        {
            List<EventData> records = [.. _partitions[partition]
                .Where(r => r.Offset >= offset)
                .Take(max)
                .Select(r => new EventData(r.Message))];
            RecordsRead += records.Count;
            return records;
        }
    }

    /// <summary>The offset the next record of <paramref name="partition"/> gets: where a reader "from now" starts.</summary>
    internal long EndOffset(string partition)
    {
        lock (_lock)
        {
            return _nextOffset[partition];
        }
    }

    /// <summary>Completes when a record is appended to any partition after the call.</summary>
    internal Task Appended()
    {
        lock (_lock)
        {
            return _appended.Task;
        }
    }

    private void Append(string partition, AmqpAnnotatedMessage message)
    {
        TaskCompletionSource appended;
        lock (_lock)
        {
            var records = _partitions[partition];
            var offset = _nextOffset[partition];

            // As in the service: a sequence number counts records, an offset is a byte position (and so differs from it).
            message.MessageAnnotations["x-opt-sequence-number"] = (long)records.Count;
            message.MessageAnnotations["x-opt-offset"] = offset.ToString(CultureInfo.InvariantCulture);
            message.MessageAnnotations["x-opt-enqueued-time"] = DateTimeOffset.UtcNow;
            var size = message.Body.TryGetData(out var data) ? data!.Sum(d => d.Length) : 0;
            _nextOffset[partition] = offset + 100 + size;
            records.Add((offset, message));
            RecordsWritten++;
            appended = _appended;
            _appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        appended.SetResult();
    }
}
