extern alias AdClicksApi;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using AdClicksApi::Orleans.AdClicks.Api.Beacons;
using AdClicksApi::Orleans.AdClicks.Api.Beacons.EventHubs;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tests.Infrastructure.Kafka;

namespace Orleans.AdClicks.Benchmarks.Kafka;

/// <summary>
/// What one record costs the Api's process: the click log's append (Produce with a delivery handler completing the
/// beacon's task) against the same append written with ProduceAsync, both against librdkafka's mock cluster in this
/// process, with as many appends in flight as beacons would be. Bytes allocated per record count every thread
/// (librdkafka's poll thread makes the delivery reports); the time is this machine's, indicative only.
/// </summary>
public static class ProduceBenchmark
{
    private const string Topic = "clicks";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var count = options.Int("--count", 200000);
        var inFlight = options.Int("--in-flight", 2000);

        using var cluster = new MockKafkaCluster(3);
        cluster.CreateTopic(Topic, 32, replicationFactor: 3);
        var connection = EventHubsConnection.Parse("benchmark", "Endpoint=sb://mock.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=bm90LWEta2V5");
        var overrides = cluster.ProducerSettings().Select(p => new KeyValuePair<string, string?>(p.Key[(KafkaProducerConfig.Section.Length + 1)..], p.Value));
        var config = KafkaProducerConfig.For(connection, TimeSpan.FromSeconds(10), 1_000_000, overrides);
        var events = Enumerable.Range(0, 1_000).Select(_ => NewEvent()).ToArray();

        using var log = new KafkaClickLog(config, Topic, connection, new ClickLogOptions(), NullLogger<KafkaClickLog>.Instance);
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        Func<AdEvent, Task> produce = e => log.AppendAsync(e, CancellationToken.None);
        Func<AdEvent, Task> produceAsync = async e =>
        {
            var result = await producer.ProduceAsync(Topic, new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(AdKey.For(e.AdId, e.ImpressionId, 1).ToString()),
                Value = AdEventWire.Encode(e),
            }, CancellationToken.None);
            if (result.Status != PersistenceStatus.Persisted)
            {
                throw new InvalidOperationException($"Not persisted: {result.Status}");
            }
        };

        Console.WriteLine($"{count} records per round, {inFlight} in flight, 32 partitions, 3 mock brokers");
        Console.WriteLine("| append | round | bytes allocated per record | records/s |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        await MeasureAsync(produce, events, count / 10, inFlight);
        await MeasureAsync(produceAsync, events, count / 10, inFlight);
        for (var round = 1; round <= 3; round++)
        {
            foreach (var (name, append) in new[] { ("Produce + delivery handler (KafkaClickLog)", produce), ("ProduceAsync", produceAsync) })
            {
                var (bytes, rate) = await MeasureAsync(append, events, count, inFlight);
                Console.WriteLine($"| {name} | {round} | {bytes:N0} | {rate:N0} |");
            }
        }

        return 0;
    }

    private static async Task<(double BytesPerRecord, double RecordsPerSecond)> MeasureAsync(Func<AdEvent, Task> append, AdEvent[] events, int count, int inFlight)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (i, _) => await append(events[i % events.Length]));
        var elapsed = watch.Elapsed;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        return ((double)bytes / count, count / elapsed.TotalSeconds);
    }

    private static AdEvent NewEvent()
    {
        var now = DateTimeOffset.UtcNow;
        return new AdEvent(AdEventKind.Click, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), now, now.AddMinutes(-1), now.AddDays(1), true,
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36", "192.0.2.0");
    }
}
