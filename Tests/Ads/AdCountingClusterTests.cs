using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Orleans.AdClicks.Ads;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Ads;

/// <summary>Two silos, the real click stream and embedded stores: exact counts whatever is replayed.</summary>
public sealed class AdCountingClusterTests : IAsyncLifetime
{
    private const int AdCount = 6;
    private const int EventsPerAd = 500;

    private readonly TempDirectory _data = new();
    private readonly List<MetricCollector<long>> _delivered = [];
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await AdClicksTestCluster.DeployAsync(new Dictionary<string, string?> { ["AdClicks:DataDirectory"] = _data.Path });
        foreach (var silo in _cluster.Silos)
        {
            var meters = silo.ServiceProvider.GetRequiredService<IMeterFactory>();
            _delivered.Add(new MetricCollector<long>(meters, CountingMetrics.MeterName, "adclicks.counting.events_accepted"));
            _delivered.Add(new MetricCollector<long>(meters, CountingMetrics.MeterName, "adclicks.counting.duplicates_refused"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _delivered.ForEach(c => c.Dispose());
        await _cluster.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Stream_DuplicatesReplaysAndLateEvents_CountedExactlyOnce()
    {
        var ads = await _cluster.Client.CreateAdsAsync(AdCount);
        var now = DateTimeOffset.UtcNow;
        var originals = ads.SelectMany(ad => Enumerable.Range(0, EventsPerAd).Select(i => NewEvent(ad, i, now))).ToList();
        // A tenth come again later: retried beacons, at a later time and so in another minute.
        var duplicates = originals.Where((_, i) => i % 10 == 0).Select(e => e with { Timestamp = now }).ToList();

        await _cluster.Client.PublishAsync(originals);
        await _cluster.Client.PublishAsync(duplicates);
        await _cluster.Client.PublishAsync(originals.Take(300).ToList());

        var expected = Expected(originals);
        foreach (var ad in ads)
        {
            var truth = expected[ad.Id];
            await Eventually.MatchesAsync(
                () => SeriesAsync(ad.Id, now),
                counts => counts.SetEquals(truth),
                eachSample: counts => Assert.True(NeverAbove(counts, truth), $"over-count for ad {ad.Id}: {string.Join(", ", counts)}"));
        }

        // A double count of a replay processed after the counts first matched would show only now.
        await DrainAsync(ads, originals.Count + duplicates.Count + 300);
        foreach (var ad in ads)
        {
            Assert.Equal(expected[ad.Id], await SeriesAsync(ad.Id, now));
        }
    }

    [Fact]
    public async Task Stream_ReplayAfterDeactivation_NotCountedAgain()
    {
        var ads = await _cluster.Client.CreateAdsAsync(AdCount);
        var now = DateTimeOffset.UtcNow;
        var originals = ads.SelectMany(ad => Enumerable.Range(0, 50).Select(i => NewEvent(ad, i, now))).ToList();
        await _cluster.Client.PublishAsync(originals);
        var expected = Expected(originals);
        await Eventually.MatchesAsync(() => SeriesAsync(ads[0].Id, now), counts => counts.SetEquals(expected[ads[0].Id]));

        await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        var marker = NewEvent(ads[0], 0, now) with { Kind = AdEventKind.Click, Timestamp = now.AddHours(-1) };
        await _cluster.Client.PublishAsync([.. originals, marker]);

        var withMarker = Expected([.. originals, marker]);
        await Eventually.MatchesAsync(() => SeriesAsync(ads[0].Id, now), counts => counts.SetEquals(withMarker[ads[0].Id]));
        await DrainAsync(ads, (2 * originals.Count) + 1);
        foreach (var ad in ads.Skip(1))
        {
            Assert.Equal(expected[ad.Id], await SeriesAsync(ad.Id, now));
        }
    }

    private static AdEvent NewEvent(AdInfo ad, int i, DateTimeOffset now)
    {
        // Most events are recent; some are late, for minutes long flushed and for hours ago.
        var timestamp = (i % 7) switch
        {
            0 => now.AddMinutes(-30),
            1 => now.AddHours(-3),
            _ => now.AddSeconds(-(i % 120)),
        };
        var kind = i % 3 == 0 ? AdEventKind.Click : AdEventKind.Impression;
        return new AdEvent(kind, Guid.NewGuid(), ad.Id, ad.CampaignId, timestamp, now.AddHours(-4), now.AddHours(20), true, "test", "10.0.0.0");
    }

    private static Dictionary<Guid, HashSet<BucketCount>> Expected(IEnumerable<AdEvent> events) =>
        events
            .DistinctBy(e => (e.Kind, e.ImpressionId))
            .GroupBy(e => e.AdId)
            .ToDictionary(
                ad => ad.Key,
                ad => ad.GroupBy(e => e.Minute)
                    .Select(m => new BucketCount(m.Key, m.LongCount(e => e.Kind == AdEventKind.Click), m.LongCount(e => e.Kind == AdEventKind.Impression)))
                    .ToHashSet());

    private static bool NeverAbove(HashSet<BucketCount> counts, HashSet<BucketCount> truth) =>
        counts.All(c => truth.Any(t => t.Start == c.Start && c.Clicks <= t.Clicks && c.Impressions <= t.Impressions));

    /// <summary>
    /// Awaits every published event reaching its counting grain (accepted or refused as a duplicate), then has each
    /// ad's grain flush, in turn with its counting: afterwards the aggregate store holds all that was counted.
    /// </summary>
    private async Task DrainAsync(IEnumerable<AdInfo> ads, int published)
    {
        await Eventually.MatchesAsync(
            () => Task.FromResult(_delivered.Sum(c => c.GetMeasurementSnapshot().Sum(m => m.Value))),
            delivered => delivered == published,
            eachSample: delivered => Assert.True(delivered <= published, $"{delivered} events delivered, more than the {published} published"));
        foreach (var ad in ads)
        {
            await _cluster.Client.GetGrain<IAdGrain>(new AdKey(ad.Id, 0).ToString()).RepairMinutesAsync([]);
        }
    }

    private async Task<HashSet<BucketCount>> SeriesAsync(Guid adId, DateTimeOffset now)
    {
        var series = await _cluster.Client.GetGrain<IAnalyticsGrain>(0)
            .QuerySeriesAsync(AnalyticsTenant.All, SeriesScope.Ad(adId), now.AddHours(-4), now.AddMinutes(5), Granularity.Minute);
        return [.. series];
    }
}
