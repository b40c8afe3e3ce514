using System.Diagnostics.Metrics;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Streaming;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Events;

/// <summary>The Azure Queue click stream on Azurite, with bad messages put in its queues as a broken producer would.</summary>
[Trait("Category", "Azurite")]
public sealed class ClickQueueAzuriteTests : IAsyncLifetime
{
    private const int Queues = 2;

    private readonly TempDirectory _data = new();
    private Azurite _azurite = null!;
    private InProcessTestCluster _cluster = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        _cluster = await AdClicksTestCluster.DeployAsync(
            new Dictionary<string, string?>
            {
                ["AdClicks:DataDirectory"] = _data.Path,
                ["AdClicks:Cluster:StreamPartitions"] = Queues.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ConnectionStrings:AzureStorage"] = _azurite.ConnectionString,
            },
            silos: 1);
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _azurite.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task BadMessagesAheadInEveryQueue_SkippedAndCountedByReason_GoodOnesBehindThemCounted()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var key = new AdKey(ad.Id, 0);
        using var metrics = new MeasurementRecorder(ClickStreamMetrics.MeterName, [_cluster.Silos[0].ServiceProvider.GetRequiredService<IMeterFactory>()]);
        var now = DateTimeOffset.UtcNow;
        var minute = MinuteBucket.Of(now);
        AdEvent Click() => new(AdEventKind.Click, Guid.NewGuid(), ad.Id, ad.CampaignId, minute.AddSeconds(10), now.AddMinutes(-1), now.AddDays(1), true, "Mozilla/5.0", "203.0.113.0");
        var missingField = AdEventWire.EncodeBatch(key.ToString(), [Click()]).Replace("\"billable\":true,", string.Empty, StringComparison.Ordinal);
        var queues = new QueueServiceClient(_azurite.ConnectionString);
        for (var i = 0; i < Queues; i++)
        {
            var queue = queues.GetQueueClient($"adclicks-clicks-{i}");
            await queue.CreateIfNotExistsAsync(cancellationToken: Ct);
            await queue.SendMessageAsync("this is no click", Ct);
            await queue.SendMessageAsync("""{"v":2,"stream":"x","events":[]}""", Ct);
            await queue.SendMessageAsync(missingField, Ct);
        }

        var events = Enumerable.Range(0, 40).Select(_ => Click()).ToList();
        await _cluster.Client.PublishAsync(events);

        var raw = _cluster.Silos[0].ServiceProvider.GetRequiredService<IRawClickStore>();
        var counted = await Eventually.MatchesAsync(
            () => raw.CountAsync(key, minute, minute.AddMinutes(1), Ct),
            tallies => tallies.Sum(t => t.Clicks) >= events.Count,
            TimeSpan.FromSeconds(60));
        var rejected = await Eventually.MatchesAsync(
            () => Task.FromResult((metrics.Sum("adclicks.streaming.rejected", "reason=malformed"), metrics.Sum("adclicks.streaming.rejected", "reason=unknown_version"), metrics.Sum("adclicks.streaming.rejected", "reason=missing_field"))),
            sums => sums == (Queues, Queues, Queues));

        Assert.Equal([new MinuteTally(minute, events.Count, 0)], counted);
        Assert.Equal((Queues, Queues, Queues), rejected);
    }
}
