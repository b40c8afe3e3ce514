using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;
using Orleans.AdClicks.Streaming;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tests.Infrastructure.EventHubs;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace Orleans.AdClicks.Tests.Events;

/// <summary>Every mapping rule of <see cref="ClickEventDataAdapter"/>, on records shaped as Event Hubs delivers them.</summary>
[Trait("Category", "EventHubs")]
public sealed class ClickEventDataAdapterTests : IDisposable
{
    private const int MaxEventBytes = 2_048;

    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddMetrics().AddSerializer().BuildServiceProvider();
    private readonly InMemoryEventHub _hub = new(2);
    private readonly Guid _adId = Guid.NewGuid();
    private readonly List<PartitionHotAds> _hotAds = [];

    public void Dispose()
    {
        _hotAds.ForEach(h => h.Dispose());
        _services.Dispose();
    }

    [Fact]
    public void KafkaRecordOfThisApi_KeyIsTheAdKey_StreamOfItsPartitionAndAdKey()
    {
        var adapter = Adapter();
        var click = Click();
        _hub.AppendKafka("1", new AdKey(_adId, 0).ToString(), AdEventWire.Encode(click));

        var (position, batch) = ReadOne(adapter, "1");

        Assert.Equal(StreamId.Create("clicks.1", new AdKey(_adId, 0).ToString()), position.StreamId);
        Assert.Equal(position.StreamId, batch.StreamId);
        Assert.Equal([click], batch.GetEvents<AdEvent>().Select(e => e.Item1));
    }

    [Fact]
    public void ForeignKafkaRecord_KeyNoAdKeyAndByteHeaders_KeyAndHeadersIgnored()
    {
        var adapter = Adapter();
        var click = Click();
        var headers = new Dictionary<string, byte[]> { ["StreamNamespace"] = [1, 2, 3], ["trace-id"] = Encoding.UTF8.GetBytes("abc") };
        _hub.AppendKafka("0", Encoding.UTF8.GetBytes("user-4711"), AdEventWire.Encode(click), headers);

        var (position, batch) = ReadOne(adapter, "0");

        Assert.Equal(StreamId.Create("clicks.0", new AdKey(_adId, 0).ToString()), position.StreamId);
        Assert.Equal([click], batch.GetEvents<AdEvent>().Select(e => e.Item1));
    }

    [Fact]
    public void KafkaRecordWithoutKey_Read()
    {
        var adapter = Adapter();
        var click = Click();
        _hub.AppendKafka("0", (byte[]?)null, AdEventWire.Encode(click));

        var (_, batch) = ReadOne(adapter, "0");

        Assert.Equal([click], batch.GetEvents<AdEvent>().Select(e => e.Item1));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("campaign-7")]
    [InlineData("AD")]
    public void AmqpEvent_AnyPartitionKeyOrNone_StreamFromTheEvent(string? partitionKey)
    {
        var adapter = Adapter();
        var click = Click();
        _hub.AppendAmqp("1", partitionKey == "AD" ? _adId.ToString() : partitionKey, AdEventWire.Encode(click), new Dictionary<string, object> { ["source"] = "ad-server" });

        var (position, batch) = ReadOne(adapter, "1");

        Assert.Equal(StreamId.Create("clicks.1", new AdKey(_adId, 0).ToString()), position.StreamId);
        Assert.Equal([click], batch.GetEvents<AdEvent>().Select(e => e.Item1));
    }

    [Fact]
    public void HotAd_KeyOfShardZero_ShardFromTheImpressionIdWithTheClustersShards()
    {
        var adapter = Adapter(shardsPerAd: 8);
        var clicks = Enumerable.Range(0, 20).Select(_ => Click()).ToList();
        foreach (var click in clicks)
        {
            _hub.AppendKafka("0", new AdKey(_adId, 0).ToString(), AdEventWire.Encode(click));
        }

        var keys = ReadAll(adapter, "0").Select(r => r.Position.StreamId.GetKeyAsString()).ToList();

        Assert.Equal(clicks.Select(c => AdKey.For(_adId, c.ImpressionId, 8).ToString()), keys);
        Assert.True(keys.Distinct().Count() > 1);
    }

    [Fact]
    public void HotAdOfOnePartition_SpreadOverShardStreamsOfThatPartition_ItsRetriesOnTheirOriginalsShard()
    {
        var time = new FakeTimeProvider();
        var adapter = Adapter(eventsPerShard: 10, time: time);
        var coldAd = Guid.NewGuid();
        foreach (var click in Enumerable.Range(0, 50).Select(_ => Click()))
        {
            _hub.AppendKafka("0", new AdKey(_adId, 0).ToString(), AdEventWire.Encode(click));
        }

        _hub.AppendKafka("1", new AdKey(coldAd, 0).ToString(), AdEventWire.Encode(Click() with { AdId = coldAd }));
        var before = ReadAll(adapter, "0").Concat(ReadAll(adapter, "1")).Select(r => r.Position.StreamId).Distinct().ToList();

        // 50 events in the second that ends: five shards' worth at 10 a shard, so the next power of two, 8.
        time.Advance(TimeSpan.FromSeconds(1));
        var (hotFrom, coldFrom) = (_hub.EndOffset("0"), _hub.EndOffset("1"));
        var clicks = Enumerable.Range(0, 40).Select(_ => Click()).ToList();
        foreach (var click in clicks.Concat(clicks))
        {
            _hub.AppendKafka("0", new AdKey(_adId, 0).ToString(), AdEventWire.Encode(click));
        }

        _hub.AppendKafka("1", new AdKey(coldAd, 0).ToString(), AdEventWire.Encode(Click() with { AdId = coldAd }));
        var after = ReadAll(adapter, "0", hotFrom).Select(r => r.Position.StreamId).ToList();
        var cold = ReadAll(adapter, "1", coldFrom).Select(r => r.Position.StreamId).ToList();

        Assert.Equal([StreamId.Create("clicks.0", new AdKey(_adId, 0).ToString()), StreamId.Create("clicks.1", new AdKey(coldAd, 0).ToString())], before);
        Assert.Equal([.. clicks.Concat(clicks).Select(c => StreamId.Create("clicks.0", AdKey.For(_adId, c.ImpressionId, 8).ToString()))], after);
        Assert.True(after.Distinct().Count() > 1);
        Assert.Equal([StreamId.Create("clicks.1", new AdKey(coldAd, 0).ToString())], cold);
    }

    [Fact]
    public void SameAdInTwoPartitions_TwoStreamsOfOneAdKey()
    {
        var adapter = Adapter();
        _hub.AppendKafka("0", new AdKey(_adId, 0).ToString(), AdEventWire.Encode(Click()));
        _hub.AppendAmqp("1", _adId.ToString(), AdEventWire.Encode(Click()));

        var (first, _) = ReadOne(adapter, "0");
        var (second, _) = ReadOne(adapter, "1");

        Assert.Equal(first.StreamId.GetKeyAsString(), second.StreamId.GetKeyAsString());
        Assert.NotEqual(first.StreamId, second.StreamId);
    }

    [Fact]
    public void Token_OffsetAndSequenceNumberOfTheRecord()
    {
        var adapter = Adapter();
        _hub.AppendKafka("0", new AdKey(_adId, 0).ToString(), AdEventWire.Encode(Click()));
        _hub.AppendKafka("0", new AdKey(_adId, 0).ToString(), AdEventWire.Encode(Click()));
        var second = _hub.Read("0", 0, 2)[1];

        var (_, batch) = ReadAll(adapter, "0")[1];

        var token = Assert.IsType<EventHubSequenceTokenV2>(batch.SequenceToken);
        Assert.Equal(second.OffsetString, token.EventHubOffset);
        Assert.Equal(1, token.SequenceNumber);
        Assert.NotEqual("1", token.EventHubOffset);
    }

    [Theory]
    [InlineData("kafka")]
    [InlineData("amqp")]
    public void RecordKeyOfAnotherAd_RefusedAsKeyMismatch(string producer)
    {
        var adapter = Adapter();
        using var metrics = Metrics();
        var other = new AdKey(Guid.NewGuid(), 0).ToString();
        if (producer == "kafka")
        {
            _hub.AppendKafka("0", other, AdEventWire.Encode(Click()));
        }
        else
        {
            _hub.AppendAmqp("0", other, AdEventWire.Encode(Click()));
        }

        var (position, batch) = ReadOne(adapter, "0");

        Assert.Equal(ClickPartitionStreams.RejectedNamespace, position.StreamId.GetNamespace());
        Assert.Empty(batch.GetEvents<AdEvent>());
        Assert.Equal(1, metrics.Sum("adclicks.streaming.rejected", "reason=key_mismatch"));
    }

    [Theory]
    [InlineData("this is no click", "malformed")]
    [InlineData("[1,2]", "malformed")]
    [InlineData("""{"v":2,"kind":"click"}""", "unknown_version")]
    [InlineData("""{"kind":"click"}""", "missing_field")]
    [InlineData("BILLABLE", "missing_field")]
    [InlineData("KIND", "invalid_field")]
    [InlineData("EMPTY", "invalid_field")]
    [InlineData("IMPRESSION", "malformed")]
    [InlineData("LARGE", "too_large")]
    public void BadRecord_RefusedByReasonAndParked_TheRecordBehindItRead(string body, string reason)
    {
        var adapter = Adapter();
        using var metrics = Metrics();
        var good = Click();
        var json = Encoding.UTF8.GetString(AdEventWire.Encode(Click()));
        var bad = body switch
        {
            "BILLABLE" => json.Replace("\"billable\":true,", string.Empty, StringComparison.Ordinal),
            "KIND" => json.Replace("\"kind\":\"click\"", "\"kind\":\"view\"", StringComparison.Ordinal),
            "EMPTY" => json.Replace(_adId.ToString(), Guid.Empty.ToString(), StringComparison.Ordinal),
            "IMPRESSION" => json.Replace("\"impressionId\":\"", "\"impressionId\":\"x", StringComparison.Ordinal),
            "LARGE" => json.Replace("\"userAgent\":\"test\"", $"\"userAgent\":\"{new string('a', MaxEventBytes)}\"", StringComparison.Ordinal),
            _ => body,
        };
        _hub.AppendKafka("1", new AdKey(_adId, 0).ToString(), Encoding.UTF8.GetBytes(bad));
        _hub.AppendKafka("1", new AdKey(_adId, 0).ToString(), AdEventWire.Encode(good));

        var records = ReadAll(adapter, "1");

        Assert.Equal(StreamId.Create(ClickPartitionStreams.RejectedNamespace, "1"), records[0].Position.StreamId);
        Assert.Empty(records[0].Batch.GetEvents<AdEvent>());
        Assert.Equal([good], records[1].Batch.GetEvents<AdEvent>().Select(e => e.Item1));
        Assert.Equal(1, metrics.Sum("adclicks.streaming.rejected", $"reason={reason}"));
    }

    [Fact]
    public void BadRecord_LoggedOnceWithPartitionAndOffset()
    {
        var logger = new FakeLogger<ClickEventDataAdapter>();
        var adapter = new ClickEventDataAdapter(_services.GetRequiredService<Serializer>(), MaxEventBytes, HotAds(1, 0, TimeProvider.System), null, logger);
        _hub.AppendKafka("1", new AdKey(_adId, 0).ToString(), AdEventWire.Encode(Click()));
        _hub.AppendKafka("1", new AdKey(_adId, 0).ToString(), Encoding.UTF8.GetBytes("{"));
        var bad = _hub.Read("1", 0, 2)[1];

        ReadAll(adapter, "1");

        var entry = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, entry.Level);
        Assert.Contains("partition 1,", entry.Message, StringComparison.Ordinal);
        Assert.Contains($"offset {bad.OffsetString} (sequence number 1)", entry.Message, StringComparison.Ordinal);
        Assert.Contains("malformed", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordOverTheBlockSize_RefusedWithoutCachingItsBody()
    {
        var adapter = Adapter();
        _hub.AppendKafka("0", (byte[]?)null, new byte[2 * 1024 * 1024]);
        var record = _hub.Read("0", 0, 1)[0];
        var position = adapter.GetStreamPosition("0", record);
        var requested = 0;

        adapter.FromQueueMessage(position, record, DateTime.UtcNow, size => new ArraySegment<byte>(new byte[requested = size]));

        Assert.True(requested < 64, $"{requested} bytes cached for a refused record");
    }

    [Fact]
    public void ToQueueMessage_NotThroughTheStreamProvider()
    {
        var adapter = Adapter();

        Assert.Throws<NotSupportedException>(() => adapter.ToQueueMessage(StreamId.Create("clicks.0", "x"), new[] { Click() }, null, null));
    }

    private ClickEventDataAdapter Adapter(int shardsPerAd = 1, int eventsPerShard = 0, TimeProvider? time = null) => new(
        _services.GetRequiredService<Serializer>(),
        MaxEventBytes,
        HotAds(shardsPerAd, eventsPerShard, time ?? TimeProvider.System),
        new ClickStreamMetrics(_services.GetRequiredService<IMeterFactory>()),
        _services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ClickEventDataAdapter>>());

    private PartitionHotAds HotAds(int shardsPerAd, int eventsPerShard, TimeProvider time)
    {
        var hotAds = new PartitionHotAds(new HotAdSettings(shardsPerAd, eventsPerShard, 16, TimeSpan.FromMinutes(1)), time, _services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>());
        _hotAds.Add(hotAds);
        return hotAds;
    }

    private MeasurementRecorder Metrics() => new(ClickStreamMetrics.MeterName, [_services.GetRequiredService<IMeterFactory>()]);

    private (StreamPosition Position, IBatchContainer Batch) ReadOne(ClickEventDataAdapter adapter, string partition) =>
        Assert.Single(ReadAll(adapter, partition));

    /// <summary>As the cache does: the position when a record enters, the batch when it is delivered from the cached bytes.</summary>
    private List<(StreamPosition Position, IBatchContainer Batch)> ReadAll(ClickEventDataAdapter adapter, string partition, long fromOffset = 0)
    {
        var read = new List<(StreamPosition, IBatchContainer)>();
        foreach (var record in _hub.Read(partition, fromOffset, 1_000))
        {
            var position = adapter.GetStreamPosition(partition, record);
            var cached = adapter.FromQueueMessage(position, record, DateTime.UtcNow, size => new ArraySegment<byte>(new byte[size]));
            read.Add((position, adapter.GetBatchContainer(ref cached)));
        }

        return read;
    }

    private AdEvent Click()
    {
        var now = DateTimeOffset.UtcNow;
        return new AdEvent(AdEventKind.Click, Guid.NewGuid(), _adId, Guid.NewGuid(), now, now.AddMinutes(-1), now.AddDays(1), true, "test", "203.0.113.0");
    }
}
