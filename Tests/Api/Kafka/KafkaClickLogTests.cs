using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Testing;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Api.Beacons.EventHubs;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tests.Infrastructure.Kafka;

namespace Orleans.AdClicks.Tests.Api.Kafka;

/// <summary>The Kafka click log against librdkafka's mock cluster (a real Kafka wire peer), without HTTP.</summary>
[Trait("Category", "EventHubs")]
public sealed class KafkaClickLogTests : IDisposable
{
    private const string Topic = "clicks";
    private const int Partitions = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    private readonly MockKafkaCluster _cluster = new();
    private readonly FakeLogger<KafkaClickLog> _logger = new();

    public KafkaClickLogTests() => _cluster.CreateTopic(Topic, Partitions, replicationFactor: 3);

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task Append_Delivered_RecordKeyedByAdShardWithTheEventAsJson()
    {
        using var log = NewLog(new ClickLogOptions { ShardsPerAd = 4 });
        var events = Enumerable.Range(0, 20).Select(_ => NewEvent(Guid.NewGuid())).ToList();

        await Task.WhenAll(events.Select(e => log.AppendAsync(e, TestContext.Current.CancellationToken)));

        var records = KafkaTopic.ReadAll(_cluster, Topic, Partitions, events.Count);
        Assert.Equal(events.Count, records.Count);
        foreach (var record in records)
        {
            Assert.True(AdEventWire.TryDecode(record.Message.Value, out var decoded, out _));
            var sent = Assert.Single(events, e => e.ImpressionId == decoded.ImpressionId);
            Assert.Equal(sent, decoded);
            Assert.Equal(AdKey.For(sent.AdId, sent.ImpressionId, 4).ToString(), Encoding.UTF8.GetString(record.Message.Key));
            Assert.Equal(1, JsonDocument.Parse(record.Message.Value).RootElement.GetProperty("v").GetInt32());
        }
    }

    [Fact]
    public async Task Append_SameAdShard_OnePartition()
    {
        using var log = NewLog(new ClickLogOptions());
        var adId = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => log.AppendAsync(NewEvent(adId), TestContext.Current.CancellationToken)));

        var records = KafkaTopic.ReadAll(_cluster, Topic, Partitions, 30);
        Assert.Equal(30, records.Count);
        Assert.Single(records.Select(r => r.Partition.Value).Distinct());
    }

    [Fact]
    public async Task Config_AgainstABroker_IdempotentProducerIdAssigned()
    {
        var statistics = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = ProducerConfig();
        config.StatisticsIntervalMs = 100;
        using var producer = new ProducerBuilder<byte[], byte[]>(config)
            .SetStatisticsHandler((_, json) =>
            {
                var eos = JsonDocument.Parse(json).RootElement.GetProperty("eos");
                if (eos.GetProperty("idemp_state").GetString() == "Assigned")
                {
                    statistics.TrySetResult(eos.Clone());
                }
            })
            .Build();

        await producer.ProduceAsync(Topic, new Message<byte[], byte[]> { Key = [1], Value = [2] }, TestContext.Current.CancellationToken);
        var eos = await statistics.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(eos.GetProperty("producer_id").GetInt64() >= 0);
    }

    [Fact]
    public async Task Stop_RecordsNotYetDelivered_FlushedBeforeItReturns()
    {
        var log = NewLog(new ClickLogOptions());
        var appends = Enumerable.Range(0, 500).Select(_ => log.AppendAsync(NewEvent(Guid.NewGuid()), TestContext.Current.CancellationToken)).ToList();

        await log.StopAsync(TestContext.Current.CancellationToken);

        // Every delivery report came before Flush returned; the beacons' continuations run just after it.
        await Task.WhenAll(appends).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        log.Dispose();
        Assert.Equal(500, KafkaTopic.ReadAll(_cluster, Topic, Partitions, 500).Count);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.Contains("after delivering every record", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_BrokersDown_SaysWhatItCouldNotDeliver()
    {
        using var log = NewLog(new ClickLogOptions { DrainTimeout = TimeSpan.FromSeconds(5) });
        await log.AppendAsync(NewEvent(Guid.NewGuid()), TestContext.Current.CancellationToken);
        _cluster.TakeDown();
        var appends = Enumerable.Range(0, 10).Select(_ => log.AppendAsync(NewEvent(Guid.NewGuid()), CancellationToken.None)).ToList();

        await log.StopAsync(TestContext.Current.CancellationToken);

        foreach (var append in appends)
        {
            await Assert.ThrowsAsync<ClickLogUnavailableException>(() => append);
        }

        var stopped = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Message.Contains("The click log stopped", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, stopped.Level);
        Assert.Contains("10 records not delivered", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_ProducerQueueFull_UnavailableAtOnce()
    {
        using var log = NewLog(new ClickLogOptions(), maxPending: 1_000);
        _cluster.TakeDown();
        var held = Enumerable.Range(0, 1_000).Select(_ => log.AppendAsync(NewEvent(Guid.NewGuid()), CancellationToken.None)).ToList();

        var refused = log.AppendAsync(NewEvent(Guid.NewGuid()), TestContext.Current.CancellationToken);

        Assert.True(refused.IsFaulted);
        Assert.IsType<ClickLogUnavailableException>(refused.Exception!.InnerException);
        var kafka = Assert.IsType<KafkaException>(refused.Exception.InnerException!.InnerException, exactMatch: false);
        Assert.Equal(Confluent.Kafka.ErrorCode.Local_QueueFull, kafka.Error.Code);
        await Task.WhenAll(held.Select(h => Assert.ThrowsAsync<ClickLogUnavailableException>(() => h)));
    }

    [Fact]
    public async Task Producer_IdRefusedAsUnauthorized_NotReadyAndBeaconsUnavailable()
    {
        // InitProducerId (API 22) answered CLUSTER_AUTHORIZATION_FAILED (31), as for an identity without the sender role.
        _cluster.FailNext(22, 31);
        using var log = NewLog(new ClickLogOptions());
        var check = new KafkaClickLogReadyCheck(log);

        await Eventually.MatchesAsync(() => Task.FromResult(log.FatalError), e => e is not null);
        var health = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("restart", health.Description, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ClickLogUnavailableException>(() => log.AppendAsync(NewEvent(Guid.NewGuid()), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Producer_Working_Ready()
    {
        using var log = NewLog(new ClickLogOptions());
        await log.AppendAsync(NewEvent(Guid.NewGuid()), TestContext.Current.CancellationToken);

        var health = await new KafkaClickLogReadyCheck(log).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public async Task Append_AfterStop_Unavailable()
    {
        using var log = NewLog(new ClickLogOptions());
        await log.StopAsync(TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ClickLogUnavailableException>(() => log.AppendAsync(NewEvent(Guid.NewGuid()), TestContext.Current.CancellationToken));
    }

    private KafkaClickLog NewLog(ClickLogOptions options, int maxPending = 100_000) =>
        new(ProducerConfig(maxPending), Topic, Connection(), options, _logger);

    private ProducerConfig ProducerConfig(int maxPending = 100_000) =>
        KafkaProducerConfig.For(Connection(), Deadline, maxPending, _cluster.ProducerSettings().Select(p =>
            new KeyValuePair<string, string?>(p.Key[(KafkaProducerConfig.Section.Length + 1)..], p.Value)));

    private static EventHubsConnection Connection() =>
        EventHubsConnection.Parse("ConnectionStrings:EventHubs", "Endpoint=sb://mock.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=bm90LWEta2V5");

    private static AdEvent NewEvent(Guid adId)
    {
        var now = DateTimeOffset.UtcNow;
        return new AdEvent(AdEventKind.Click, Guid.NewGuid(), adId, Guid.NewGuid(), now, now.AddMinutes(-1), now.AddDays(1), true, "test-agent", "192.0.2.0");
    }
}
