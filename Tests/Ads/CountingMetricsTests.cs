using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Orleans.AdClicks.Ads;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Ads;

/// <summary>The meter "Orleans.AdClicks.Counting": what was accepted, refused as a duplicate, recounted, and how long counts waited.</summary>
public sealed class CountingMetricsTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await AdClicksTestCluster.DeployAsync(new Dictionary<string, string?> { ["AdClicks:DataDirectory"] = _data.Path }, silos: 1);
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Stream_NewAndRepeatedEvents_CountedByKindAndFlushLagRecorded()
    {
        var meters = _cluster.Silos[0].ServiceProvider.GetRequiredService<IMeterFactory>();
        using var accepted = new MetricCollector<long>(meters, CountingMetrics.MeterName, "adclicks.counting.events_accepted");
        using var duplicates = new MetricCollector<long>(meters, CountingMetrics.MeterName, "adclicks.counting.duplicates_refused");
        using var recounts = new MetricCollector<long>(meters, CountingMetrics.MeterName, "adclicks.counting.recounts");
        using var flushLag = new MetricCollector<double>(meters, CountingMetrics.MeterName, "adclicks.counting.flush_lag");
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 15).Select(i => new AdEvent(
            i < 10 ? AdEventKind.Click : AdEventKind.Impression, Guid.NewGuid(), ad.Id, ad.CampaignId, now, now.AddHours(-1), now.AddHours(20), true, null, null)).ToList();

        await _cluster.Client.PublishAsync(events);
        await _cluster.Client.PublishAsync([events[0], events[1], events[2], events[12]]);

        await Eventually.MatchesAsync(() => Task.FromResult(Sum(accepted) + Sum(duplicates)), delivered => delivered == 19);
        await Eventually.MatchesAsync(() => Task.FromResult(flushLag.GetMeasurementSnapshot().Count), flushes => flushes > 0);
        Assert.Equal(10, Sum(accepted, "click"));
        Assert.Equal(5, Sum(accepted, "impression"));
        Assert.Equal(3, Sum(duplicates, "click"));
        Assert.Equal(1, Sum(duplicates, "impression"));
        Assert.Equal(1, recounts.GetMeasurementSnapshot().Where(m => m.MatchesTags(new KeyValuePair<string, object?>("reason", "activation"))).Sum(m => m.Value));
        Assert.All(flushLag.GetMeasurementSnapshot(), lag => Assert.InRange(lag.Value, 0, Eventually.DefaultTimeout.TotalSeconds));
    }

    private static long Sum(MetricCollector<long> collector, string? kind = null) =>
        collector.GetMeasurementSnapshot()
            .Where(m => kind is null || m.MatchesTags(new KeyValuePair<string, object?>("kind", kind)))
            .Sum(m => m.Value);
}
