using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Tests.Storage.RawClicks;

/// <summary>What every <see cref="IRawClickStore"/> must do; one derived class per store runs these against it.</summary>
public abstract class RawClickStoreContractTests
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A fresh ad per test, so tests sharing one store (or one Azurite) never see each other's events.</summary>
    protected AdKey Key { get; } = new(Guid.NewGuid(), 0);

    protected Guid CampaignId { get; } = Guid.NewGuid();

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>The store under test, the same one for the whole test.</summary>
    protected abstract IRawClickStore Store { get; }

    [Fact]
    public async Task AppendNew_RepeatedWithinBatch_ReturnsItOnce()
    {
        var click = Event(AdEventKind.Click, Guid.NewGuid());

        var accepted = await Store.AppendNewAsync(Key, [click, click, click with { UserAgent = "retry" }], Cancellation);

        Assert.Equal([click], accepted);
    }

    [Fact]
    public async Task AppendNew_SeenInEarlierBatch_Refused()
    {
        var first = Event(AdEventKind.Click, Guid.NewGuid());
        var second = Event(AdEventKind.Click, Guid.NewGuid());
        await Store.AppendNewAsync(Key, [first], Cancellation);

        var accepted = await Store.AppendNewAsync(Key, [first, second], Cancellation);

        Assert.Equal([second], accepted);
    }

    [Fact]
    public async Task AppendNew_ClickAndImpressionWithSameId_BothNew()
    {
        var impressionId = Guid.NewGuid();
        var impression = Event(AdEventKind.Impression, impressionId);
        var click = Event(AdEventKind.Click, impressionId);

        var accepted = await Store.AppendNewAsync(Key, [impression, click], Cancellation);

        Assert.Equal([impression, click], accepted);
    }

    [Fact]
    public async Task AppendNew_SameIdOnOtherShardOrLater_Refused()
    {
        var click = Event(AdEventKind.Click, Guid.NewGuid());
        await Store.AppendNewAsync(Key, [click], Cancellation);

        var onOtherShard = await Store.AppendNewAsync(Key with { Shard = 3 }, [click], Cancellation);
        var later = await Store.AppendNewAsync(Key, [click with { Timestamp = Start.AddMinutes(30) }], Cancellation);

        Assert.Empty(onOtherShard);
        Assert.Empty(later);
    }

    [Fact]
    public async Task AppendNew_RetriedOnTheNextDay_RefusedAndCountedOnceInItsMinute()
    {
        // Token issued yesterday; the first click arrives just after midnight, its retry half an hour later.
        var midnight = new DateTimeOffset(Start.UtcDateTime.Date, TimeSpan.Zero);
        var click = Event(AdEventKind.Click, Guid.NewGuid(), midnight.AddMinutes(10)) with
        {
            TokenIssuedAt = midnight.AddHours(-1),
            TokenExpiresAt = midnight.AddHours(23),
        };
        var accepted = await Store.AppendNewAsync(Key, [click], Cancellation);

        var retried = await Store.AppendNewAsync(Key, [click with { Timestamp = midnight.AddMinutes(40) }], Cancellation);
        var tallies = await Store.CountAsync(Key, midnight, midnight.AddHours(1), Cancellation);

        Assert.Equal([click], accepted);
        Assert.Empty(retried);
        Assert.Equal([new MinuteTally(midnight.AddMinutes(10), 1, 0)], tallies);
    }

    [Fact]
    public async Task AppendNew_OtherAdsEvent_Throws()
    {
        var foreign = Event(AdEventKind.Click, Guid.NewGuid()) with { AdId = Guid.NewGuid() };

        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendNewAsync(Key, [foreign], Cancellation));
    }

    [Fact]
    public async Task AppendNew_NonBillable_StoredAndTalliedAsAnInvalidClickOnly()
    {
        // Written before reasons existed: "not billable" alone, which was an expired token.
        var expired = Event(AdEventKind.Click, Guid.NewGuid(), billable: false);
        var crawlerView = Invalid(AdEventKind.Impression, InvalidTrafficReason.KnownCrawler);

        var accepted = await Store.AppendNewAsync(Key, [expired, crawlerView], Cancellation);
        var again = await Store.AppendNewAsync(Key, [expired], Cancellation);
        var tallies = await Store.CountAsync(Key, Start.AddHours(-1), Start.AddHours(1), Cancellation);

        Assert.Equal([expired, crawlerView], accepted);
        Assert.Empty(again);
        Assert.Equal([new MinuteTally(Start, 0, 0, new InvalidClickCounts(1, 0, 0, 0, 0))], tallies);
    }

    [Fact]
    public async Task Count_InvalidClicks_TalliedByReasonBesideTheBillableCounts()
    {
        var lateExpired = Invalid(AdEventKind.Click, InvalidTrafficReason.ExpiredToken) with
        {
            TokenIssuedAt = Start.AddDays(-2),
            TokenExpiresAt = Start - InvalidClickCounts.ExpiredClicksCountedFor - TimeSpan.FromMinutes(1),
        };
        await Store.AppendNewAsync(
            Key,
            [
                Event(AdEventKind.Click, Guid.NewGuid()),
                Event(AdEventKind.Impression, Guid.NewGuid()),
                Invalid(AdEventKind.Click, InvalidTrafficReason.KnownCrawler),
                Invalid(AdEventKind.Click, InvalidTrafficReason.KnownCrawler, Start.AddSeconds(30)),
                Invalid(AdEventKind.Click, InvalidTrafficReason.TooEarly),
                Invalid(AdEventKind.Click, InvalidTrafficReason.AddressFlood),
                Invalid(AdEventKind.Click, InvalidTrafficReason.CampaignFlood),
                Invalid(AdEventKind.Click, InvalidTrafficReason.ExpiredToken) with { TokenExpiresAt = Start.AddMinutes(-30) },
                Invalid(AdEventKind.Click, InvalidTrafficReason.CampaignFlood, Start.AddMinutes(1)),
                Invalid(AdEventKind.Impression, InvalidTrafficReason.KnownCrawler),
                lateExpired,
            ],
            Cancellation);

        var tallies = await Store.CountAsync(Key, Start, Start.AddMinutes(2), Cancellation);

        // An invalid impression counts nowhere, and nor does an expired click long after its token expired.
        Assert.Equal(
            [new MinuteTally(Start, 1, 1, new InvalidClickCounts(1, 2, 1, 1, 1)), new MinuteTally(Start.AddMinutes(1), 0, 0, new InvalidClickCounts(0, 0, 0, 0, 1))],
            tallies);
    }

    [Fact]
    public async Task ListActiveAds_OnlyInvalidClicksInAnHour_NamesTheAd()
    {
        var invalidViewsOnly = new AdKey(Guid.NewGuid(), 0);
        await Store.AppendNewAsync(Key, [Invalid(AdEventKind.Click, InvalidTrafficReason.TooEarly, Start.AddMinutes(10))], Cancellation);
        await Store.AppendNewAsync(invalidViewsOnly, [Invalid(AdEventKind.Impression, InvalidTrafficReason.KnownCrawler) with { AdId = invalidViewsOnly.AdId }], Cancellation);

        var active = await Store.ListActiveAdsAsync(Start, AdSlice.Of(Key.AdId), Cancellation);
        var viewsSlice = await Store.ListActiveAdsAsync(Start, AdSlice.Of(invalidViewsOnly.AdId), Cancellation);

        Assert.Contains(Key, active);
        Assert.DoesNotContain(invalidViewsOnly, viewsSlice);
    }

    [Fact]
    public async Task Count_EventsOverSeveralMinutes_TalliesPerMinuteFromInclusiveToExclusive()
    {
        await Store.AppendNewAsync(
            Key,
            [
                Event(AdEventKind.Click, Guid.NewGuid(), Start.AddSeconds(-1)),
                Event(AdEventKind.Click, Guid.NewGuid(), Start),
                Event(AdEventKind.Click, Guid.NewGuid(), Start.AddSeconds(59)),
                Event(AdEventKind.Impression, Guid.NewGuid(), Start.AddSeconds(30)),
                Event(AdEventKind.Impression, Guid.NewGuid(), Start.AddMinutes(2)),
                Event(AdEventKind.Click, Guid.NewGuid(), Start.AddMinutes(3)),
            ],
            Cancellation);

        var tallies = await Store.CountAsync(Key, Start, Start.AddMinutes(3), Cancellation);
        var wide = await Store.CountAsync(Key, Start.AddDays(-400), Start.AddDays(400), Cancellation);
        var otherShard = await Store.CountAsync(Key with { Shard = 1 }, Start, Start.AddMinutes(3), Cancellation);

        Assert.Equal([new MinuteTally(Start, 2, 1), new MinuteTally(Start.AddMinutes(2), 0, 1)], tallies);
        Assert.Equal(4, wide.Count);
        Assert.Empty(otherShard);
    }

    [Fact]
    public async Task AppendNew_ManyConcurrentCallersWithOverlappingIds_AcceptsEachIdOnce()
    {
        var ids = Enumerable.Range(0, 2000).Select(_ => Guid.NewGuid()).ToArray();

        var batches = await Task.WhenAll(Enumerable.Range(0, 20).Select(caller => Task.Run(
            async () =>
            {
                var accepted = new List<AdEvent>();
                for (var i = 0; i < 200; i += 50)
                {
                    // Callers overlap by half: each id is offered by two of them.
                    var batch = Enumerable.Range(caller * 100 + i, 50).Select(n => Event(AdEventKind.Click, ids[n % ids.Length])).ToList();
                    accepted.AddRange(await Store.AppendNewAsync(Key, batch, Cancellation));
                }

                return accepted;
            },
            Cancellation)));
        var tallies = await Store.CountAsync(Key, Start, Start.AddMinutes(1), Cancellation);

        var acceptedIds = batches.SelectMany(b => b).Select(e => e.ImpressionId).ToList();
        Assert.Equal(acceptedIds.Count, acceptedIds.Distinct().Count());
        Assert.Equal(ids.Order(), acceptedIds.Order());
        Assert.Equal([new MinuteTally(Start, ids.Length, 0)], tallies);
    }

    [Fact]
    public async Task ListActiveAds_BillableEventsInTwoHours_NamesEachShardInItsHoursAndSliceOnly()
    {
        var shard2 = Key with { Shard = 2 };
        var quiet = new AdKey(Guid.NewGuid(), 0);
        await Store.AppendNewAsync(Key, [Event(AdEventKind.Click, Guid.NewGuid(), Start.AddMinutes(10)), Event(AdEventKind.Impression, Guid.NewGuid(), Start.AddMinutes(70))], Cancellation);
        await Store.AppendNewAsync(shard2, [Event(AdEventKind.Impression, Guid.NewGuid(), Start.AddMinutes(59))], Cancellation);
        await Store.AppendNewAsync(quiet, [Event(AdEventKind.Impression, Guid.NewGuid(), Start.AddMinutes(5), billable: false) with { AdId = quiet.AdId }], Cancellation);

        var slice = AdSlice.Of(Key.AdId);
        var first = await Store.ListActiveAdsAsync(Start, slice, Cancellation);
        var second = await Store.ListActiveAdsAsync(Start.AddHours(1), slice, Cancellation);
        var before = await Store.ListActiveAdsAsync(Start.AddHours(-1), slice, Cancellation);
        var otherSlice = await Store.ListActiveAdsAsync(Start, (slice + 1) % AdSlice.Count, Cancellation);
        var quietSlice = await Store.ListActiveAdsAsync(Start, AdSlice.Of(quiet.AdId), Cancellation);

        // Tests share stores, so only this test's ads are looked at; the order is that of the string keys.
        Assert.Equal([Key, shard2], first.Where(k => k.AdId == Key.AdId));
        Assert.Equal([Key], second.Where(k => k.AdId == Key.AdId));
        Assert.DoesNotContain(before, k => k.AdId == Key.AdId);
        Assert.DoesNotContain(otherSlice, k => k.AdId == Key.AdId);
        Assert.DoesNotContain(quietSlice, k => k.AdId == quiet.AdId);
        Assert.All(first, k => Assert.Equal(slice, AdSlice.Of(k.AdId)));
        Assert.Equal(first.Select(k => k.ToString()).Order(StringComparer.Ordinal), first.Select(k => k.ToString()));
    }

    [Fact]
    public async Task ListActiveAds_TimeInsideAnHour_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListActiveAdsAsync(Start.AddMinutes(1), 0, Cancellation));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(AdSlice.Count)]
    public async Task ListActiveAds_SliceOutOfRange_Throws(int slice)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListActiveAdsAsync(Start, slice, Cancellation));
    }

    [Fact]
    public async Task CountBreakdowns_EnrichedEvents_TalliesEachDimensionPerHourWithUnknownForMissingValues()
    {
        await Store.AppendNewAsync(
            Key,
            [
                Enriched(AdEventKind.Click, Start.AddSeconds(10), "desktop", "Chrome", "Windows", "DE"),
                Enriched(AdEventKind.Impression, Start.AddMinutes(30), "desktop", "Firefox", "Windows", null),
                Enriched(AdEventKind.Click, Start.AddMinutes(59).AddSeconds(59), "mobile", "Mobile Safari", "iOS", "FR"),
                Enriched(AdEventKind.Click, Start.AddMinutes(65), "other", "Other", "Other", null),
                Enriched(AdEventKind.Click, Start.AddMinutes(20), "desktop", "Chrome", "Windows", "DE", billable: false),
                Enriched(AdEventKind.Click, Start.AddMinutes(-1), "desktop", "Chrome", "Windows", "DE"),
            ],
            Cancellation);

        var tallies = await Store.CountBreakdownsAsync(Key, Start, Start.AddHours(2), Cancellation);
        var otherShard = await Store.CountBreakdownsAsync(Key with { Shard = 1 }, Start, Start.AddHours(2), Cancellation);

        var (hour, next) = (Start, Start.AddHours(1));
        Assert.Equal(
            [
                new BreakdownTally(hour, BreakdownDimension.Device, "desktop", 1, 1),
                new BreakdownTally(hour, BreakdownDimension.Device, "mobile", 1, 0),
                new BreakdownTally(hour, BreakdownDimension.Browser, "Chrome", 1, 0),
                new BreakdownTally(hour, BreakdownDimension.Browser, "Firefox", 0, 1),
                new BreakdownTally(hour, BreakdownDimension.Browser, "Mobile Safari", 1, 0),
                new BreakdownTally(hour, BreakdownDimension.Os, "Windows", 1, 1),
                new BreakdownTally(hour, BreakdownDimension.Os, "iOS", 1, 0),
                new BreakdownTally(hour, BreakdownDimension.Country, "DE", 1, 0),
                new BreakdownTally(hour, BreakdownDimension.Country, "FR", 1, 0),
                new BreakdownTally(hour, BreakdownDimension.Country, BreakdownValues.Unknown, 0, 1),
                new BreakdownTally(next, BreakdownDimension.Device, "other", 1, 0),
                new BreakdownTally(next, BreakdownDimension.Browser, BreakdownValues.Unknown, 1, 0),
                new BreakdownTally(next, BreakdownDimension.Os, BreakdownValues.Unknown, 1, 0),
                new BreakdownTally(next, BreakdownDimension.Country, BreakdownValues.Unknown, 1, 0),
            ],
            tallies);
        Assert.Empty(otherShard);
    }

    [Fact]
    public async Task CountBreakdowns_NotEnriched_AllUnknownAndEachDimensionSumsToTheMinuteCounts()
    {
        var events = Enumerable.Range(0, 5).Select(i => Event(i % 2 == 0 ? AdEventKind.Click : AdEventKind.Impression, Guid.NewGuid(), Start.AddMinutes(i * 7))).ToList();
        await Store.AppendNewAsync(Key, events, Cancellation);

        var tallies = await Store.CountBreakdownsAsync(Key, Start, Start.AddHours(1), Cancellation);
        var minutes = await Store.CountAsync(Key, Start, Start.AddHours(1), Cancellation);

        Assert.Equal(4, tallies.Count);
        Assert.All(tallies, t => Assert.Equal((BreakdownValues.Unknown, minutes.Sum(m => m.Clicks), minutes.Sum(m => m.Impressions)), (t.Value, t.Clicks, t.Impressions)));
        Assert.Equal((3, 2), (minutes.Sum(m => m.Clicks), minutes.Sum(m => m.Impressions)));
    }

    [Fact]
    public async Task CountBreakdowns_TimeInsideAnHour_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CountBreakdownsAsync(Key, Start.AddMinutes(1), Start.AddHours(1), Cancellation));
    }

    protected AdEvent Enriched(AdEventKind kind, DateTimeOffset at, string? device, string? browser, string? os, string? country, bool billable = true) =>
        Event(kind, Guid.NewGuid(), at, billable) with
        {
            Invalid = billable ? InvalidTrafficReason.None : InvalidTrafficReason.KnownCrawler,
            Device = device,
            Browser = browser,
            Os = os,
            Country = country,
        };

    protected AdEvent Event(AdEventKind kind, Guid impressionId, DateTimeOffset? at = null, bool billable = true) =>
        new(kind, impressionId, Key.AdId, CampaignId, at ?? Start, Start.AddMinutes(-1), Start.AddHours(1), billable, "Mozilla/5.0", "203.0.113.0");

    /// <summary>An event the beacon classified as invalid traffic for <paramref name="reason"/>.</summary>
    protected AdEvent Invalid(AdEventKind kind, InvalidTrafficReason reason, DateTimeOffset? at = null) =>
        Event(kind, Guid.NewGuid(), at, billable: false) with { Invalid = reason };
}
