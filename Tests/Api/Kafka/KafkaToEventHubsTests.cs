using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Api.Beacons.EventHubs;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tests.Infrastructure.EventHubs;
using Orleans.AdClicks.Tests.Infrastructure.Kafka;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Api.Kafka;

/// <summary>
/// Producer to counts: the Api's click log writes to librdkafka's mock cluster, its records go into the in-memory hub as
/// Event Hubs' Kafka endpoint stores them, and silos on Orleans' Event Hubs provider (checkpoints on Azurite) count them.
/// </summary>
[Trait("Category", "EventHubs")]
[Trait("Category", "Azurite")]
public sealed class KafkaToEventHubsTests : IAsyncLifetime
{
    private const int Partitions = 4;

    private readonly TempDirectory _data = new();
    private readonly MockKafkaCluster _kafka = new();
    private readonly InMemoryEventHub _hub = new(Partitions);
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private Azurite _azurite = null!;
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _kafka.CreateTopic("clicks", Partitions, replicationFactor: 3);
        _azurite = await Azurite.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["AdClicks:DataDirectory"] = _data.Path,
            ["ConnectionStrings:AzureStorage"] = _azurite.ConnectionString,

            // A well-formed connection string nothing connects to: the receivers read the in-memory hub.
            ["ConnectionStrings:EventHubs"] = $"Endpoint=sb://adclicks-test.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}",
            ["AdClicks:EventHubs:CheckpointTable"] = "ProducerCheckpoints",
        };
        _cluster = await AdClicksTestCluster.DeployAsync(settings, 1, silo => InMemoryEventHubAdapterFactory.Replace(silo, Constants.StreamProvider, _hub), Guid.NewGuid().ToString("N"));
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _azurite.DisposeAsync();
        _kafka.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task ProducedByTheApi_WithBrowserRetries_CountedOnceEach()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var clicks = Enumerable.Range(0, 40).Select(i => new AdEvent(AdEventKind.Click, Guid.NewGuid(), ad.Id, ad.CampaignId,
            _now.AddSeconds(-i), _now.AddHours(-1), _now.AddHours(23), true, "test", "203.0.113.0")).ToList();
        using (var log = NewLog())
        {
            // A browser retrying after a 503 whose record did land: the same event twice.
            await Task.WhenAll(clicks.Concat(clicks.Take(10)).Select(c => log.AppendAsync(c, TestContext.Current.CancellationToken)));
        }

        KafkaEventData.CopyTo(KafkaTopic.ReadAll(_kafka, "clicks", Partitions, 50), _hub);

        Assert.Equal(50, _hub.RecordsWritten);
        var total = await Eventually.MatchesAsync(() => TotalAsync(ad.Id), t => t == 40, TimeSpan.FromSeconds(60), t => Assert.True(t <= 40, $"over-count: {t}"));
        Assert.Equal(40, total);
    }

    private KafkaClickLog NewLog()
    {
        var connection = EventHubsConnection.Parse("test", "Endpoint=sb://mock.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=bm90LWEta2V5");
        var config = KafkaProducerConfig.For(connection, TimeSpan.FromSeconds(2), 1_000, _kafka.ProducerSettings().Select(p =>
            new KeyValuePair<string, string?>(p.Key[(KafkaProducerConfig.Section.Length + 1)..], p.Value)));
        return new KafkaClickLog(config, "clicks", connection, new ClickLogOptions(), NullLogger<KafkaClickLog>.Instance);
    }

    private async Task<long> TotalAsync(Guid adId)
    {
        var series = await _cluster.Client.GetGrain<IAnalyticsGrain>(0)
            .QuerySeriesAsync(AnalyticsTenant.All, SeriesScope.Ad(adId), _now.AddHours(-1), _now.AddMinutes(5), Granularity.Hour);
        return series.Sum(b => b.Clicks);
    }
}
