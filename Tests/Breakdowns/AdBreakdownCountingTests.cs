using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Aggregates.Queries;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Breakdowns;

/// <summary>
/// The counting grain's hourly breakdowns on a real cluster, raw store and DuckDB: exactly once as the minute counts,
/// recounted from the raw store when an hour is not known, and the same numbers recounted as counted live.
/// </summary>
public sealed class AdBreakdownCountingTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly ShiftedClock _clock = new();
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await AdClicksTestCluster.DeployAsync(
            new Dictionary<string, string?> { ["AdClicks:DataDirectory"] = _data.Path }, silos: 1,
            configureSilo: silo =>
            {
                silo.Services.AddSingleton<TimeProvider>(_clock);
                CountingRawClickStore.Decorate(silo.Services);
            });
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _data.Dispose();
    }

    private IServiceProvider Silo => _cluster.Silos[0].ServiceProvider;

    private CountingRawClickStore RawStore => Silo.GetRequiredService<CountingRawClickStore>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stream_EnrichedEvents_CountedPerValueOfEachDimension_InvalidLeftOut()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var at = _clock.GetUtcNow();
        await _cluster.Client.PublishAsync(
        [
            Event(ad, AdEventKind.Click, at, "desktop", "Chrome", "Windows", "DE"),
            Event(ad, AdEventKind.Impression, at, "desktop", "Chrome", "Windows", "DE"),
            Event(ad, AdEventKind.Click, at, "mobile", "Mobile Safari", "iOS", null),
            Event(ad, AdEventKind.Click, at, "desktop", "Firefox", "Linux", "FR"),
            Event(ad, AdEventKind.Click, at, "bot", "Googlebot", "Other", "US") with { Billable = false, Invalid = InvalidTrafficReason.KnownCrawler },
        ]);

        var devices = await BreakdownAsync(ad, BreakdownDimension.Device, [new("desktop", 2, 1), new("mobile", 1, 0)]);
        var browsers = await BreakdownAsync(ad, BreakdownDimension.Browser, [new("Chrome", 1, 1), new("Firefox", 1, 0), new("Mobile Safari", 1, 0)]);
        var systems = await BreakdownAsync(ad, BreakdownDimension.Os, [new("Windows", 1, 1), new("Linux", 1, 0), new("iOS", 1, 0)]);
        var countries = await BreakdownAsync(ad, BreakdownDimension.Country, [new("DE", 1, 1), new("FR", 1, 0), new(BreakdownValues.Unknown, 1, 0)]);

        Assert.Equal(["desktop", "mobile"], devices.Select(d => d.Value));
        Assert.Equal(3, browsers.Count);
        Assert.Equal(3, systems.Count);
        Assert.Equal(3, countries.Count);
    }

    [Fact]
    public async Task Activation_AfterARawWriteThatWasNeverCounted_RecountsTheHour()
    {
        // A previous activation wrote these to the raw store and died before its flush.
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var at = _clock.GetUtcNow();
        await RawStore.AppendNewAsync(new AdKey(ad.Id, 0), [Event(ad, AdEventKind.Click, at, "tablet", "Chrome", "Android", "NL"), Event(ad, AdEventKind.Click, at, "mobile", "Chrome Mobile", "Android", "NL")], Ct);

        await _cluster.Client.PublishAsync([Event(ad, AdEventKind.Click, at, "tablet", "Chrome", "Android", "BE")]);

        await BreakdownAsync(ad, BreakdownDimension.Device, [new("tablet", 2, 0), new("mobile", 1, 0)]);
        await BreakdownAsync(ad, BreakdownDimension.Country, [new("NL", 2, 0), new("BE", 1, 0)]);
    }

    [Fact]
    public async Task Reactivation_MidHour_SameBreakdownAsLiveCounting_ARedeliveredBatchAddsNothing()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var at = _clock.GetUtcNow();
        var first = Mixed(ad, at, 40);
        await _cluster.Client.PublishAsync(first);
        var live = await AllDimensionsAsync(ad, first);
        var recounted = await RecountedAsync(ad, BreakdownValues.HourOf(first[0]));

        await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, Ct);
        var readsBefore = RawStore.BreakdownCounts;
        var second = Mixed(ad, at, 7);
        await _cluster.Client.PublishAsync([.. first, .. second]);

        var after = await AllDimensionsAsync(ad, [.. first, .. second]);
        await _cluster.Client.PublishAsync(first);
        var marker = Event(ad, AdEventKind.Impression, at, "desktop", "Edge", "Windows", "SE");
        await _cluster.Client.PublishAsync([marker]);
        var withMarker = await AllDimensionsAsync(ad, [.. first, .. second, marker]);

        Assert.Equal(live, recounted);
        Assert.Equal(Expected([.. first, .. second]), after);
        Assert.Equal(Expected([.. first, .. second, marker]), withMarker);
        Assert.Equal(readsBefore + 1, RawStore.BreakdownCounts);
    }

    [Fact]
    public async Task Stream_FirstEventsOfLaterHours_ReadNoBreakdownsFromTheRawStore()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        await _cluster.Client.PublishAsync([Event(ad, AdEventKind.Click, _clock.GetUtcNow(), "desktop", "Chrome", "Windows", "DE")]);
        await BreakdownAsync(ad, BreakdownDimension.Device, [new("desktop", 1, 0)]);
        var reads = RawStore.BreakdownCounts;

        for (var hour = 1; hour <= 3; hour++)
        {
            _clock.Offset += TimeSpan.FromHours(1);
            await _cluster.Client.PublishAsync([Event(ad, AdEventKind.Click, _clock.GetUtcNow(), "desktop", "Chrome", "Windows", "DE")]);
            await BreakdownAsync(ad, BreakdownDimension.Device, [new("desktop", 1 + hour, 0)]);
        }

        Assert.True(reads <= 1, $"{reads} breakdown reads for the first event after activation");
        Assert.Equal(reads, RawStore.BreakdownCounts);
    }

    [Fact]
    public async Task Stream_BreakdownRecountFailsAfterTheRawWrite_CountedAtTheNextFlush()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        await _cluster.Client.PublishAsync([Event(ad, AdEventKind.Click, _clock.GetUtcNow(), "desktop", "Chrome", "Windows", "DE")]);
        await BreakdownAsync(ad, BreakdownDimension.Device, [new("desktop", 1, 0)]);
        var late = _clock.GetUtcNow().AddHours(-3);

        RawStore.FailNextBreakdownCountAfterAppend();
        await _cluster.Client.PublishAsync([Event(ad, AdEventKind.Click, late, "mobile", "Chrome Mobile", "Android", "DE"), Event(ad, AdEventKind.Click, late, "mobile", "Chrome Mobile", "Android", "AT")]);

        await BreakdownAsync(ad, BreakdownDimension.Device, [new("mobile", 2, 0), new("desktop", 1, 0)]);
        await BreakdownAsync(ad, BreakdownDimension.Country, [new("DE", 2, 0), new("AT", 1, 0)]);
    }

    [Fact]
    public async Task Repair_OfAnHoursMinutes_AlsoRecountsItsBreakdowns()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var hour = MinuteBucket.Truncate(_clock.GetUtcNow(), Granularity.Hour).AddHours(-1);
        var minute = hour.AddMinutes(30);
        await _cluster.Client.PublishAsync([Event(ad, AdEventKind.Click, minute, "desktop", "Chrome", "Windows", "DE")]);
        await BreakdownAsync(ad, BreakdownDimension.Browser, [new("Chrome", 1, 0)]);

        await RawStore.AppendNewAsync(new AdKey(ad.Id, 0), [Event(ad, AdEventKind.Click, minute, "desktop", "Safari", "Mac OS X", "DE")], Ct);
        var started = await _cluster.Client.GetGrain<IReconciliationGrain>(0).RunNowAsync(hour);
        await Eventually.MatchesAsync(
            async () => (await _cluster.Client.GetGrain<IReconciliationRunGrain>(ReconciliationHour.Key(hour)).GetReportsAsync()).Single(r => r.RunId == started.RunId),
            r => r.CompletedAt is not null);

        await BreakdownAsync(ad, BreakdownDimension.Browser, [new("Chrome", 1, 0), new("Safari", 1, 0)]);
        await BreakdownAsync(ad, BreakdownDimension.Os, [new("Mac OS X", 1, 0), new("Windows", 1, 0)]);
    }

    private static AdEvent Event(AdInfo ad, AdEventKind kind, DateTimeOffset at, string? device, string? browser, string? os, string? country) =>
        new(kind, Guid.NewGuid(), ad.Id, ad.CampaignId, at, at.AddHours(-4), at.AddHours(20), true, "test", "10.0.0.0",
            Device: device, Browser: browser, Os: os, Country: country);

    private static List<AdEvent> Mixed(AdInfo ad, DateTimeOffset at, int count)
    {
        string[] devices = ["desktop", "mobile", "tablet"];
        string[] browsers = ["Chrome", "Firefox", "Mobile Safari", "Edge"];
        string?[] countries = ["DE", "FR", null, "GB", "NL"];
        return [.. Enumerable.Range(0, count).Select(i => Event(
            ad, i % 3 == 0 ? AdEventKind.Click : AdEventKind.Impression, at, devices[i % devices.Length], browsers[i % browsers.Length],
            i % 2 == 0 ? "Windows" : "iOS", countries[i % countries.Length]))];
    }

    /// <summary>What the events give per dimension, computed here from the events themselves.</summary>
    private static Dictionary<BreakdownDimension, List<BreakdownTotal>> Expected(IEnumerable<AdEvent> events)
    {
        var distinct = events.DistinctBy(e => (e.Kind, e.ImpressionId)).Where(e => e.Billable).ToList();
        return BreakdownValues.Dimensions.ToDictionary(d => d, d => distinct
            .GroupBy(e => BreakdownValues.Of(e, d))
            .Select(g => new BreakdownTotal(g.Key, g.Count(e => e.Kind == AdEventKind.Click), g.Count(e => e.Kind == AdEventKind.Impression)))
            .OrderByDescending(t => t.Clicks).ThenByDescending(t => t.Impressions).ThenBy(t => t.Value, StringComparer.Ordinal)
            .ToList());
    }

    private async Task<Dictionary<BreakdownDimension, List<BreakdownTotal>>> AllDimensionsAsync(AdInfo ad, IEnumerable<AdEvent> events)
    {
        var expected = Expected(events);
        var found = new Dictionary<BreakdownDimension, List<BreakdownTotal>>();
        foreach (var (dimension, totals) in expected)
        {
            found[dimension] = [.. await BreakdownAsync(ad, dimension, totals)];
        }

        return found;
    }

    /// <summary>The breakdowns the raw store recounts for the ad's hour, ranked as the store ranks them.</summary>
    private async Task<Dictionary<BreakdownDimension, List<BreakdownTotal>>> RecountedAsync(AdInfo ad, DateTimeOffset hour)
    {
        var tallies = await RawStore.CountBreakdownsAsync(new AdKey(ad.Id, 0), hour, hour.AddHours(1), Ct);
        return BreakdownValues.Dimensions.ToDictionary(d => d, d => tallies
            .Where(t => t.Dimension == d)
            .Select(t => new BreakdownTotal(t.Value, t.Clicks, t.Impressions))
            .OrderByDescending(t => t.Clicks).ThenByDescending(t => t.Impressions).ThenBy(t => t.Value, StringComparer.Ordinal)
            .ToList());
    }

    /// <summary>Waits until the ad's breakdown over the hours around now is <paramref name="expected"/> (in order), failing on any over-count.</summary>
    private async Task<IReadOnlyList<BreakdownTotal>> BreakdownAsync(AdInfo ad, BreakdownDimension dimension, IReadOnlyList<BreakdownTotal> expected)
    {
        var hour = MinuteBucket.Truncate(_clock.GetUtcNow(), Granularity.Hour);
        var query = new BreakdownQuery(AnalyticsTenant.All, SeriesScope.Ad(ad.Id), dimension, hour.AddHours(-4), hour.AddHours(2));
        var breakdowns = Silo.GetRequiredService<IBreakdownQueries>();
        return await Eventually.MatchesAsync(
            () => breakdowns.QueryBreakdownAsync(query, Ct),
            found => found.SequenceEqual(expected),
            eachSample: found => Assert.True(
                found.All(f => expected.Any(e => e.Value == f.Value && f.Clicks <= e.Clicks && f.Impressions <= e.Impressions)),
                $"{dimension}: {string.Join(", ", found)} is more than {string.Join(", ", expected)}"));
    }
}
