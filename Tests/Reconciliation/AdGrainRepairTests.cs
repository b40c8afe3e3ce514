using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Reconciliation;

/// <summary>Why repairs go through the ad's grain: it still holds the minute in memory and keeps counting it.</summary>
public sealed class AdGrainRepairTests : IAsyncLifetime
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
    public async Task Repair_OfAMinuteTheGrainStillCounts_LaterEventsAddToTheRepairedCount()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var hour = MinuteBucket.Truncate(DateTimeOffset.UtcNow, Granularity.Hour).AddHours(-1);
        var minute = hour.AddMinutes(59);
        var services = _cluster.Silos[0].ServiceProvider;
        await _cluster.Client.PublishAsync(Clicks(ad, minute, 3));
        await ClicksAtAsync(services, ad, minute, expected: 3);

        var neverStreamed = Clicks(ad, minute, 2);
        await services.GetRequiredService<IRawClickStore>().AppendNewAsync(new AdKey(ad.Id, 0), neverStreamed, TestContext.Current.CancellationToken);
        var started = await _cluster.Client.GetGrain<IReconciliationGrain>(0).RunNowAsync(hour);
        var report = await Eventually.MatchesAsync(
            async () => (await _cluster.Client.GetGrain<IReconciliationRunGrain>(ReconciliationHour.Key(hour)).GetReportsAsync()).Single(r => r.RunId == started.RunId),
            r => r.CompletedAt is not null);
        Assert.Equal((ad.Id, minute, AdEventKind.Click, 5L, 3L), report.Mismatches.Select(m => (m.AdId, m.Minute, m.Kind, m.Expected, m.Found)).Single());

        // A late click for the same minute: the grain adds it to the repaired 5, not to the 3 it held before.
        await _cluster.Client.PublishAsync(Clicks(ad, minute, 1));
        await ClicksAtAsync(services, ad, minute, expected: 6);
    }

    private static List<AdEvent> Clicks(AdInfo ad, DateTimeOffset minute, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new AdEvent(
            AdEventKind.Click, Guid.NewGuid(), ad.Id, ad.CampaignId, minute.AddSeconds(i), minute.AddMinutes(-5), minute.AddHours(2), true, null, null))];

    private static async Task ClicksAtAsync(IServiceProvider services, AdInfo ad, DateTimeOffset minute, long expected)
    {
        var aggregates = services.GetRequiredService<IAggregateQueries>();
        await Eventually.MatchesAsync(
            async () => (await aggregates.QuerySeriesAsync(SeriesScope.Ad(ad.Id), minute, minute.AddMinutes(1), Granularity.Minute)).Sum(b => b.Clicks),
            clicks => clicks == expected,
            eachSample: clicks => Assert.True(clicks <= expected, $"{clicks} clicks counted, more than the {expected} stored"));
    }
}
