using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Ads;

/// <summary>When a counting grain reads the raw store: on activation, for late and for uncertain minutes, never per new minute.</summary>
public sealed class AdCountingRecountTests : IAsyncLifetime
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

    private CountingRawClickStore RawStore => _cluster.Silos[0].ServiceProvider.GetRequiredService<CountingRawClickStore>();

    [Fact]
    public async Task Stream_FirstEventsOfNewMinutes_ReadNothingFromTheRawStore()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var first = MinuteBucket.Of(_clock.GetUtcNow());
        await _cluster.Client.PublishAsync(Clicks(ad, _clock.GetUtcNow(), 3));
        await ClicksAtAsync(ad, first, expected: 3);
        var afterActivation = RawStore.Counts;

        for (var minute = 1; minute <= 5; minute++)
        {
            _clock.Offset += TimeSpan.FromMinutes(1);
            await _cluster.Client.PublishAsync(Clicks(ad, _clock.GetUtcNow(), 1));
            await ClicksAtAsync(ad, MinuteBucket.Of(_clock.GetUtcNow()), expected: 1);
        }

        Assert.Equal(1, afterActivation);
        Assert.Equal(afterActivation, RawStore.Counts);
    }

    [Fact]
    public async Task Stream_LateEventForAForgottenMinute_IsRecountedNotCountedFromZero()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var first = _clock.GetUtcNow();
        await _cluster.Client.PublishAsync(Clicks(ad, first, 3));
        await ClicksAtAsync(ad, MinuteBucket.Of(first), expected: 3);

        // Past the minutes the grain keeps: its next flush forgets the first minute.
        _clock.Offset += TimeSpan.FromMinutes(80);
        await _cluster.Client.PublishAsync(Clicks(ad, _clock.GetUtcNow(), 1));
        await ClicksAtAsync(ad, MinuteBucket.Of(_clock.GetUtcNow()), expected: 1);
        var beforeLate = RawStore.Counts;
        await _cluster.Client.PublishAsync(Clicks(ad, first, 1));

        await ClicksAtAsync(ad, MinuteBucket.Of(first), expected: 4);
        Assert.Equal(beforeLate + 1, RawStore.Counts);
    }

    [Fact]
    public async Task Stream_RecountFailsAfterTheRawWrite_CountedAtTheNextFlush()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        await _cluster.Client.PublishAsync(Clicks(ad, _clock.GetUtcNow(), 1));
        await ClicksAtAsync(ad, MinuteBucket.Of(_clock.GetUtcNow()), expected: 1);
        var late = _clock.GetUtcNow().AddHours(-3);

        RawStore.FailNextCountAfterAppend();
        await _cluster.Client.PublishAsync(Clicks(ad, late, 2));

        await ClicksAtAsync(ad, MinuteBucket.Of(late), expected: 2);
        Assert.Equal(1, RawStore.FailedCounts);
    }

    [Fact]
    public async Task Activation_AfterACrashBetweenRawWriteAndFlush_RecountsInvalidClicksAsLiveCountingCountedThem()
    {
        var ads = await _cluster.Client.CreateAdsAsync(2);
        var (live, crashed) = (ads[0], ads[1]);
        var at = _clock.GetUtcNow();
        var minute = MinuteBucket.Of(at);

        // The live ad's events are counted as they come. The crashed ad's reached the raw store, but its grain died
        // before counting them (as after a silo crash); its next event activates a grain that recounts them.
        await _cluster.Client.PublishAsync(Mixed(live, at));
        await RawStore.AppendNewAsync(new AdKey(crashed.Id, 0), Mixed(crashed, at), TestContext.Current.CancellationToken);
        await _cluster.Client.PublishAsync(Clicks(live, at, 1));
        await _cluster.Client.PublishAsync(Clicks(crashed, at, 1));

        var expected = new BucketCount(minute, 3, 1, new InvalidClickCounts(1, 2, 1, 1, 1));
        Assert.Equal(expected, await MinuteAsync(live, minute, expected));
        Assert.Equal(expected, await MinuteAsync(crashed, minute, expected));
    }

    /// <summary>
    /// Two billable clicks, a billable impression, and invalid traffic: one click per rule (two crawler clicks), and
    /// events counted nowhere: a crawler's impression and a click whose token expired more than a day before.
    /// </summary>
    private static List<AdEvent> Mixed(AdInfo ad, DateTimeOffset at)
    {
        AdEvent Invalid(AdEventKind kind, InvalidTrafficReason reason) => Clicks(ad, at, 1)[0] with { Kind = kind, Billable = false, Invalid = reason };
        return
        [
            .. Clicks(ad, at, 2),
            Clicks(ad, at, 1)[0] with { Kind = AdEventKind.Impression },
            Invalid(AdEventKind.Click, InvalidTrafficReason.KnownCrawler),
            Invalid(AdEventKind.Click, InvalidTrafficReason.KnownCrawler),
            Invalid(AdEventKind.Click, InvalidTrafficReason.TooEarly),
            Invalid(AdEventKind.Click, InvalidTrafficReason.AddressFlood),
            Invalid(AdEventKind.Click, InvalidTrafficReason.CampaignFlood),
            Invalid(AdEventKind.Click, InvalidTrafficReason.ExpiredToken) with { TokenExpiresAt = at.AddMinutes(-5) },
            Invalid(AdEventKind.Click, InvalidTrafficReason.ExpiredToken) with { TokenIssuedAt = at.AddDays(-3), TokenExpiresAt = at.AddDays(-2) },
            Invalid(AdEventKind.Impression, InvalidTrafficReason.KnownCrawler),
        ];
    }

    private Task<BucketCount?> MinuteAsync(AdInfo ad, DateTimeOffset minute, BucketCount expected)
    {
        var aggregates = _cluster.Silos[0].ServiceProvider.GetRequiredService<IAggregateQueries>();
        return Eventually.MatchesAsync(
            async () => (await aggregates.QuerySeriesAsync(SeriesScope.Ad(ad.Id), minute, minute.AddMinutes(1), Granularity.Minute)).SingleOrDefault(),
            bucket => bucket == expected,
            eachSample: bucket => Assert.True(bucket is null || (bucket.Clicks <= expected.Clicks && bucket.InvalidClicks.Total <= expected.InvalidClicks.Total), $"over-count: {bucket}"));
    }

    private static List<AdEvent> Clicks(AdInfo ad, DateTimeOffset at, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new AdEvent(
            AdEventKind.Click, Guid.NewGuid(), ad.Id, ad.CampaignId, at, at.AddHours(-4), at.AddHours(20), true, null, null))];

    private async Task ClicksAtAsync(AdInfo ad, DateTimeOffset minute, long expected)
    {
        var aggregates = _cluster.Silos[0].ServiceProvider.GetRequiredService<IAggregateQueries>();
        await Eventually.MatchesAsync(
            async () => (await aggregates.QuerySeriesAsync(SeriesScope.Ad(ad.Id), minute, minute.AddMinutes(1), Granularity.Minute)).Sum(b => b.Clicks),
            clicks => clicks == expected,
            eachSample: clicks => Assert.True(clicks <= expected, $"{clicks} clicks counted, more than the {expected} published"));
    }
}
