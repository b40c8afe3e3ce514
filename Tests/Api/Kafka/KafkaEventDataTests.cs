using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Api.Beacons.EventHubs;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tests.Infrastructure.EventHubs;
using Orleans.AdClicks.Tests.Infrastructure.Kafka;

namespace Orleans.AdClicks.Tests.Api.Kafka;

/// <summary>The Api's records read back from the mock cluster as an AMQP consumer of Event Hubs sees them.</summary>
[Trait("Category", "EventHubs")]
public sealed class KafkaEventDataTests : IDisposable
{
    private readonly MockKafkaCluster _cluster = new();

    public KafkaEventDataTests() => _cluster.CreateTopic("clicks", 2, replicationFactor: 1);

    public void Dispose() => _cluster.Dispose();

    private static AdEvent NewEvent()
    {
        var now = DateTimeOffset.UtcNow;
        return new AdEvent(AdEventKind.Impression, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), now, now, now.AddDays(1), true, null, null);
    }

    private async Task ProduceAsync(AdEvent adEvent)
    {
        var connection = EventHubsConnection.Parse("test", "Endpoint=sb://mock.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=bm90LWEta2V5");
        var config = KafkaProducerConfig.For(connection, TimeSpan.FromSeconds(2), 1_000, _cluster.ProducerSettings().Select(p =>
            new KeyValuePair<string, string?>(p.Key[(KafkaProducerConfig.Section.Length + 1)..], p.Value)));
        using var log = new KafkaClickLog(config, "clicks", connection, new ClickLogOptions(), NullLogger<KafkaClickLog>.Instance);
        await log.AppendAsync(adEvent, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task From_TheApisRecord_BodyIsTheEventAndKeyTheKafkaKeyAnnotation()
    {
        var sent = NewEvent();
        await ProduceAsync(sent);

        var (partitionId, data) = Assert.Single(KafkaEventData.ReadAll(_cluster, "clicks", 2, 1));

        Assert.True(AdEventWire.TryDecode(data.EventBody.ToArray(), out var received, out _));
        Assert.Equal(sent, received);
        Assert.Equal(sent.AdId.ToString("N"), Encoding.UTF8.GetString((byte[])data.SystemProperties[KafkaEventData.KafkaKey]));
        Assert.Null(data.PartitionKey);
        Assert.Equal(0, data.SequenceNumber);
        Assert.Equal("0", data.OffsetString);
        Assert.NotEqual(default, data.EnqueuedTime);
        Assert.Contains(partitionId, new[] { "0", "1" });
    }

    [Fact]
    public async Task CopyTo_TheApisRecord_InTheHubsPartitionOfTheSameNumberWithItsKafkaKey()
    {
        var sent = NewEvent();
        await ProduceAsync(sent);
        var records = KafkaTopic.ReadAll(_cluster, "clicks", 2, 1);
        var hub = new InMemoryEventHub(2);

        KafkaEventData.CopyTo(records, hub);

        var partition = records[0].Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var data = Assert.Single(hub.Read(partition, 0, 10));
        Assert.True(AdEventWire.TryDecode(data.EventBody.ToArray(), out var received, out _));
        Assert.Equal(sent, received);
        Assert.Equal(sent.AdId.ToString("N"), Encoding.UTF8.GetString((byte[])data.SystemProperties[KafkaEventData.KafkaKey]));
    }

    [Fact]
    public void From_Headers_ApplicationPropertiesWithBytes()
    {
        var record = new ConsumeResult<byte[], byte[]>
        {
            Message = new Message<byte[], byte[]> { Key = [1, 2], Value = [3], Headers = new Headers { { "source", "pipeline"u8.ToArray() } }, Timestamp = new Timestamp(DateTime.UtcNow) },
            Offset = 41,
        };

        var data = KafkaEventData.From(record);

        Assert.Equal("pipeline"u8.ToArray(), (byte[])data.Properties["source"]);
        Assert.Equal(41, data.SequenceNumber);
    }
}
