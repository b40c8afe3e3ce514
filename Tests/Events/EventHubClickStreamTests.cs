using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Ads;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Streaming;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tests.Infrastructure.EventHubs;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Events;

/// <summary>
/// The click log on Event Hubs through Orleans' real Event Hubs provider (pulling agents, cache, <see cref="ClickEventDataAdapter"/>,
/// the Azure Table checkpointer on Azurite), the hub itself in memory (<see cref="InMemoryEventHub"/>).
/// </summary>
[Trait("Category", "EventHubs")]
[Trait("Category", "Azurite")]
public sealed class EventHubClickStreamTests : IAsyncLifetime
{
    private const int Partitions = 4;
    private const int MaxEventBytes = 2_048;
    private const string CheckpointTable = "TestClickCheckpoints";

    private readonly TempDirectory _data = new();
    private readonly InMemoryEventHub _hub = new(Partitions);
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly string _serviceId = Guid.NewGuid().ToString("N");
    private Azurite _azurite = null!;
    private InProcessTestCluster? _cluster;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("Not deployed.");

    public async ValueTask InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _azurite.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AdFromKafkaAndAmqpProducersInDifferentPartitions_DuplicatesAcrossThem_CountedExactly()
    {
        await DeployAsync(silos: 2);
        var ad = (await Cluster.Client.CreateAdsAsync(1))[0];
        using var metrics = SiloMetrics(CountingMetrics.MeterName);
        var byKafka = Clicks(ad, 30);
        var byAmqp = Clicks(ad, 30);

        foreach (var click in byKafka)
        {
            _hub.AppendKafka("0", new AdKey(ad.Id, 0).ToString(), AdEventWire.Encode(click));
        }

        foreach (var click in byAmqp)
        {
            _hub.AppendAmqp("3", ad.Id.ToString(), AdEventWire.Encode(click));
        }

        // The same events again through the other producer, into yet other partitions.
        foreach (var click in byKafka.Take(10))
        {
            _hub.AppendAmqp("2", ad.Id.ToString(), AdEventWire.Encode(click));
        }

        foreach (var click in byAmqp.Take(10))
        {
            _hub.AppendKafka("1", new AdKey(ad.Id, 0).ToString(), AdEventWire.Encode(click));
        }

        await Eventually.MatchesAsync(() => Task.FromResult(metrics.Sum("adclicks.counting.duplicates_refused", "kind=click")), refused => refused >= 20, TimeSpan.FromSeconds(60));
        var total = await Eventually.MatchesAsync(() => TotalAsync(ad.Id), t => t == 60, TimeSpan.FromSeconds(60), t => Assert.True(t <= 60, $"over-count: {t}"));

        Assert.Equal(60, total);
    }

    [Fact]
    public async Task BadRecordsAheadInEveryPartition_CountedByReasonAndSkipped_GoodOnesBehindThemCounted()
    {
        await DeployAsync(silos: 1);
        var ad = (await Cluster.Client.CreateAdsAsync(1))[0];
        using var metrics = SiloMetrics(ClickStreamMetrics.MeterName);
        var key = new AdKey(ad.Id, 0).ToString();
        var good = Clicks(ad, 10 * Partitions);
        foreach (var partition in _hub.PartitionIds)
        {
            var json = Encoding.UTF8.GetString(AdEventWire.Encode(Clicks(ad, 1)[0]));
            _hub.AppendKafka(partition, key, Encoding.UTF8.GetBytes("this is no click"));
            _hub.AppendKafka(partition, key, Encoding.UTF8.GetBytes("""{"v":2,"kind":"click"}"""));
            _hub.AppendKafka(partition, key, Encoding.UTF8.GetBytes(json.Replace("\"billable\":true,", string.Empty, StringComparison.Ordinal)));
            _hub.AppendAmqp(partition, null, Encoding.UTF8.GetBytes(json.Replace("\"kind\":\"click\"", "\"kind\":\"view\"", StringComparison.Ordinal)));
            _hub.AppendKafka(partition, key, Encoding.UTF8.GetBytes(json.Replace("\"userAgent\":\"test\"", $"\"userAgent\":\"{new string('a', MaxEventBytes)}\"", StringComparison.Ordinal)));
            _hub.AppendKafka(partition, new AdKey(Guid.NewGuid(), 0).ToString(), Encoding.UTF8.GetBytes(json));
            var unknownAd = Clicks(ad, 1)[0] with { AdId = Guid.NewGuid() };
            _hub.AppendKafka(partition, new AdKey(unknownAd.AdId, 0).ToString(), AdEventWire.Encode(unknownAd));
        }

        foreach (var (click, i) in good.Select((c, i) => (c, i)))
        {
            _hub.AppendKafka(_hub.PartitionIds[i % Partitions], key, AdEventWire.Encode(click));
        }

        var total = await Eventually.MatchesAsync(() => TotalAsync(ad.Id), t => t == good.Count, TimeSpan.FromSeconds(60));
        string[] reasons = ["malformed", "unknown_version", "missing_field", "invalid_field", "too_large", "key_mismatch", "unknown_ad"];
        var rejected = await Eventually.MatchesAsync(
            () => Task.FromResult(string.Join(",", reasons.Select(r => $"{r}={metrics.Sum("adclicks.streaming.rejected", $"reason={r}")}"))),
            sums => sums == string.Join(",", reasons.Select(r => $"{r}={Partitions}")));

        Assert.Equal(good.Count, total);
        Assert.Equal(string.Join(",", reasons.Select(r => $"{r}={Partitions}")), rejected);
    }

    [Fact]
    public async Task PartitionsWithoutCheckpoint_EventsWrittenBeforeTheSilosStarted_ReadFromTheBeginning()
    {
        await DeployAsync(silos: 1);
        var ad = (await Cluster.Client.CreateAdsAsync(1))[0];
        await Cluster.DisposeAsync();
        _cluster = null;
        var clicks = Clicks(ad, 40);
        foreach (var (click, i) in clicks.Select((c, i) => (c, i)))
        {
            _hub.AppendKafka(_hub.PartitionIds[i % Partitions], new AdKey(ad.Id, 0).ToString(), AdEventWire.Encode(click));
        }

        await DeployAsync(silos: 1);

        var total = await Eventually.MatchesAsync(() => TotalAsync(ad.Id), t => t == clicks.Count, TimeSpan.FromSeconds(60));
        Assert.Equal(clicks.Count, total);
    }

    [Fact]
    public async Task DuplicatesAndReplays_AcrossARestartARebalanceAndACrash_CountedExactly()
    {
        await DeployAsync(silos: 2);
        var ads = await Cluster.Client.CreateAdsAsync(3);
        var written = new List<AdEvent>();

        void Write(IReadOnlyList<AdEvent> clicks, int partitionShift)
        {
            // A Kafka partitioner: the ad key's hash; duplicates of earlier events are written again as they are.
            foreach (var click in clicks)
            {
                var adKey = new AdKey(click.AdId, 0).ToString();
                var partition = (int)(((uint)adKey.GetHashCode(StringComparison.Ordinal) + (uint)partitionShift) % Partitions);
                _hub.AppendKafka(_hub.PartitionIds[partition], adKey, AdEventWire.Encode(click));
            }
        }

        async Task CountedExactlyAsync()
        {
            foreach (var ad in ads)
            {
                var expected = written.Count(e => e.AdId == ad.Id);
                await Eventually.MatchesAsync(
                    () => TotalAsync(ad.Id), t => t == expected, TimeSpan.FromSeconds(120), t => Assert.True(t <= expected, $"over-count for ad {ad.Id}: {t} > {expected}"));
            }
        }

        var first = ads.SelectMany(ad => Clicks(ad, 50)).ToList();
        written.AddRange(first);
        Write(first, 0);
        Write(first.Where((_, i) => i % 5 == 0).ToList(), 1);
        await CountedExactlyAsync();

        await Cluster.RestartSiloAsync(Cluster.Silos[^1]);
        var checkpoints = await CheckpointRowsAsync();
        var second = ads.SelectMany(ad => Clicks(ad, 50)).ToList();
        written.AddRange(second);
        Write(second, 0);
        Write(first.Where((_, i) => i % 7 == 0).ToList(), 2);
        await CountedExactlyAsync();

        // A third silo takes partitions over (a rebalance while the old owners run), then one silo dies.
        await Cluster.StartAdditionalSiloAsync();
        var rebalanced = ads.SelectMany(ad => Clicks(ad, 20)).ToList();
        written.AddRange(rebalanced);
        Write(rebalanced, 0);
        await CountedExactlyAsync();

        await Cluster.KillSiloAsync(Cluster.Silos[^1], Ct);
        var third = ads.SelectMany(ad => Clicks(ad, 50)).ToList();
        written.AddRange(third);
        Write(third, 0);
        Write(second.Where((_, i) => i % 3 == 0).ToList(), 3);
        await CountedExactlyAsync();

        Assert.NotEmpty(checkpoints);
        Assert.True(_hub.RecordsRead > _hub.RecordsWritten, $"no replay: {_hub.RecordsRead} records read of {_hub.RecordsWritten} written");
    }

    private async Task DeployAsync(short silos)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AdClicks:DataDirectory"] = _data.Path,
            ["ConnectionStrings:AzureStorage"] = _azurite.ConnectionString,

            // A well-formed connection string nothing connects to: the receivers read the in-memory hub.
            ["ConnectionStrings:EventHubs"] = $"Endpoint=sb://adclicks-test.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}",
            ["AdClicks:EventHubs:CheckpointTable"] = CheckpointTable,
            ["AdClicks:EventHubs:CheckpointInterval"] = "00:00:01",
            ["AdClicks:EventHubs:MaxEventBytes"] = MaxEventBytes.ToString(CultureInfo.InvariantCulture),
        };
        _cluster = await AdClicksTestCluster.DeployAsync(settings, silos, silo => InMemoryEventHubAdapterFactory.Replace(silo, Constants.StreamProvider, _hub), _serviceId);
    }

    private MeasurementRecorder SiloMetrics(string meter) =>
        new(meter, [.. Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IMeterFactory>())]);

    private async Task<List<TableEntity>> CheckpointRowsAsync()
    {
        var table = new TableClient(_azurite.ConnectionString, CheckpointTable);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    private List<AdEvent> Clicks(AdInfo ad, int count) => [.. Enumerable.Range(0, count).Select(i => new AdEvent(
        AdEventKind.Click, Guid.NewGuid(), ad.Id, ad.CampaignId, _now.AddSeconds(-(i % 120)), _now.AddHours(-1), _now.AddHours(23), true, "test", "203.0.113.0"))];

    private async Task<long> TotalAsync(Guid adId)
    {
        var series = await Cluster.Client.GetGrain<IAnalyticsGrain>(0)
            .QuerySeriesAsync(AnalyticsTenant.All, SeriesScope.Ad(adId), _now.AddHours(-1), _now.AddMinutes(5), Granularity.Hour);
        return series.Sum(b => b.Clicks);
    }
}
