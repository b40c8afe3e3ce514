using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Tests.Storage.Aggregates;

/// <summary>
/// What every aggregate store must do, through its writer and its queries; one derived class per store runs
/// these against it. A query sees a write once the write's task completed.
/// </summary>
public abstract class AggregateStoreContractTests
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A fresh advertiser and campaign per test, so tests sharing one store never see each other's rows through a filter.</summary>
    protected Guid Advertiser { get; } = Guid.NewGuid();

    protected Guid Campaign { get; } = Guid.NewGuid();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The write side of the store under test.</summary>
    protected abstract IMinuteCountWriter Writer { get; }

    /// <summary>The query side of the same store.</summary>
    protected abstract IAggregateQueries Queries { get; }

    [Fact]
    public async Task Write_HigherVersion_ReplacesRow()
    {
        var ad = Guid.NewGuid();
        await Writer.WriteAsync([Row(ad, T0, clicks: 3, impressions: 10, version: 1)], Ct);

        await Writer.WriteAsync([Row(ad, T0, clicks: 5, impressions: 12, version: 2)], Ct);

        Assert.Equal([new BucketCount(T0, 5, 12)], await MinuteSeries(ad));
    }

    [Fact]
    public async Task Write_InvalidClicks_VersionedWithTheRowAndSummedByEveryRead()
    {
        var (ad, other) = (Guid.NewGuid(), Guid.NewGuid());
        var first = new InvalidClickCounts(1, 2, 0, 0, 0);
        var latest = new InvalidClickCounts(1, 3, 1, 0, 2);
        var onlyInvalid = new InvalidClickCounts(0, 0, 0, 4, 0);
        await Writer.WriteAsync([Row(ad, T0, clicks: 3, impressions: 10, version: 1) with { InvalidClicks = first }], Ct);

        await Writer.WriteAsync(
            [
                Row(ad, T0, clicks: 3, impressions: 10, version: 2) with { InvalidClicks = latest },
                Row(ad, T0, clicks: 9, impressions: 9, version: 1) with { InvalidClicks = new InvalidClickCounts(9, 9, 9, 9, 9) },
                Row(ad, T0.AddMinutes(1), clicks: 0, impressions: 0, version: 2, shard: 1) with { InvalidClicks = onlyInvalid },
                Row(other, T0.AddMinutes(2), clicks: 1, impressions: 1, version: 1),
            ],
            Ct);

        Assert.Equal([new BucketCount(T0, 3, 10, latest), new BucketCount(T0.AddMinutes(1), 0, 0, onlyInvalid)], await MinuteSeries(ad));
        Assert.Equal(
            [new BucketCount(T0, 4, 11, latest + onlyInvalid)],
            await Queries.QuerySeriesAsync(SeriesScope.Campaign(Campaign), T0, T0.AddHours(1), Granularity.Hour, Ct));
        Assert.Equal(
            [new AdTotal(ad, Campaign, 3, 10, latest + onlyInvalid), new AdTotal(other, Campaign, 1, 1)],
            await Queries.QueryTopAdsAsync(new TopAdsQuery(T0, T0.AddHours(1), 10, Campaign, null), Ct));
        Assert.Equal([latest, onlyInvalid], InKeyOrder((await Queries.ReadHourAsync(T0, AdSlice.Of(ad), Ct)).Where(r => r.AdId == ad)).Select(r => r.InvalidClicks));
    }

    [Fact]
    public async Task Write_LowerVersion_ChangesNothing()
    {
        var ad = Guid.NewGuid();
        await Writer.WriteAsync([Row(ad, T0, clicks: 5, impressions: 12, version: 2)], Ct);

        await Writer.WriteAsync([Row(ad, T0, clicks: 3, impressions: 10, version: 1)], Ct);

        Assert.Equal([new BucketCount(T0, 5, 12)], await MinuteSeries(ad));
    }

    [Fact]
    public async Task Write_SameRowsReplayed_ChangesNothing()
    {
        var ad = Guid.NewGuid();
        MinuteCountRow[] rows = [Row(ad, T0, clicks: 5, impressions: 12, version: 2), Row(ad, T0.AddMinutes(1), clicks: 1, impressions: 4, version: 2)];
        await Writer.WriteAsync(rows, Ct);

        await Writer.WriteAsync(rows, Ct);

        Assert.Equal([new BucketCount(T0, 5, 12), new BucketCount(T0.AddMinutes(1), 1, 4)], await MinuteSeries(ad));
        Assert.Equal(rows, InKeyOrder((await Queries.ReadHourAsync(T0, AdSlice.Of(ad), Ct)).Where(r => r.AdId == ad)));
    }

    [Fact]
    public async Task Write_SameRowTwiceInOneWrite_KeepsHighestVersion()
    {
        var ad = Guid.NewGuid();

        await Writer.WriteAsync(
        [
            Row(ad, T0, clicks: 2, impressions: 2, version: 1),
            Row(ad, T0, clicks: 7, impressions: 9, version: 3),
            Row(ad, T0, clicks: 3, impressions: 3, version: 2),
            Row(ad, T0.AddMinutes(1), clicks: 7, impressions: 9, version: 3),
            Row(ad, T0.AddMinutes(1), clicks: 2, impressions: 2, version: 1),
        ], Ct);

        Assert.Equal([new BucketCount(T0, 7, 9), new BucketCount(T0.AddMinutes(1), 7, 9)], await MinuteSeries(ad));
    }

    [Fact]
    public async Task Write_UnalignedMinute_StoredInItsMinute()
    {
        var ad = Guid.NewGuid();
        await Writer.WriteAsync([Row(ad, T0.AddSeconds(10), clicks: 1, impressions: 1, version: 1)], Ct);

        await Writer.WriteAsync([Row(ad, T0.AddSeconds(50), clicks: 2, impressions: 3, version: 2)], Ct);

        Assert.Equal([new BucketCount(T0, 2, 3)], await MinuteSeries(ad));
        Assert.Equal([Row(ad, T0, clicks: 2, impressions: 3, version: 2)], (await Queries.ReadHourAsync(T0, AdSlice.Of(ad), Ct)).Where(r => r.AdId == ad));
    }

    [Fact]
    public async Task Write_ManyConcurrentCallers_AllRowsLand()
    {
        const int callers = 50;
        const int rowsPerCaller = 200;

        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(() =>
        {
            var rows = Enumerable.Range(0, rowsPerCaller)
                .Select(i => Row(Guid.NewGuid(), T0.AddMinutes(i % 60), clicks: 1, impressions: 2, version: 1, shard: caller))
                .ToArray();
            return Writer.WriteAsync(rows, Ct);
        }, Ct)));

        var series = await Queries.QuerySeriesAsync(SeriesScope.Campaign(Campaign), T0, T0.AddHours(1), Granularity.Hour, Ct);
        Assert.Equal([new BucketCount(T0, callers * rowsPerCaller, 2L * callers * rowsPerCaller)], series);
    }

    [Fact]
    public async Task QuerySeries_Minute_SumsShardsWithinRange()
    {
        var ad = Guid.NewGuid();
        await Writer.WriteAsync(
        [
            Row(ad, T0.AddMinutes(-1), clicks: 100, impressions: 100, version: 1),
            Row(ad, T0, clicks: 1, impressions: 10, version: 1, shard: 0),
            Row(ad, T0, clicks: 2, impressions: 20, version: 1, shard: 1),
            Row(ad, T0.AddMinutes(2), clicks: 4, impressions: 40, version: 1, shard: 3),
            Row(ad, T0.AddMinutes(3), clicks: 100, impressions: 100, version: 1),
            Row(Guid.NewGuid(), T0, clicks: 100, impressions: 100, version: 1),
        ], Ct);

        var series = await Queries.QuerySeriesAsync(SeriesScope.Ad(ad), T0, T0.AddMinutes(3), Granularity.Minute, Ct);

        Assert.Equal([new BucketCount(T0, 3, 30), new BucketCount(T0.AddMinutes(2), 4, 40)], series);
    }

    [Fact]
    public async Task QuerySeries_Hour_SumsShardsPerAlignedHourAndLeavesOutEmptyHours()
    {
        var ad = Guid.NewGuid();
        await Writer.WriteAsync(
        [
            Row(ad, T0, clicks: 1, impressions: 10, version: 1, shard: 0),
            Row(ad, T0.AddMinutes(59), clicks: 2, impressions: 20, version: 1, shard: 1),
            Row(ad, T0.AddHours(2).AddMinutes(30), clicks: 4, impressions: 40, version: 1),
        ], Ct);

        var series = await Queries.QuerySeriesAsync(SeriesScope.Ad(ad), T0, T0.AddHours(3), Granularity.Hour, Ct);

        Assert.Equal([new BucketCount(T0, 3, 30), new BucketCount(T0.AddHours(2), 4, 40)], series);
    }

    [Fact]
    public async Task QuerySeries_CampaignPerDay_SumsItsAdsOnly()
    {
        var day = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        await Writer.WriteAsync(
        [
            Row(Guid.NewGuid(), day.AddHours(1), clicks: 1, impressions: 10, version: 1),
            Row(Guid.NewGuid(), day.AddHours(23).AddMinutes(59), clicks: 2, impressions: 20, version: 1, shard: 2),
            Row(Guid.NewGuid(), day.AddDays(1), clicks: 4, impressions: 40, version: 1),
            Row(Guid.NewGuid(), day.AddHours(5), clicks: 100, impressions: 100, version: 1, campaign: Guid.NewGuid()),
        ], Ct);

        var series = await Queries.QuerySeriesAsync(SeriesScope.Campaign(Campaign), day, day.AddDays(2), Granularity.Day, Ct);

        Assert.Equal([new BucketCount(day, 3, 30), new BucketCount(day.AddDays(1), 4, 40)], series);
    }

    [Fact]
    public async Task QuerySeries_NoRowsInRange_ReturnsEmpty()
    {
        var ad = Guid.NewGuid();
        await Writer.WriteAsync([Row(ad, T0, clicks: 1, impressions: 1, version: 1)], Ct);

        var series = await Queries.QuerySeriesAsync(SeriesScope.Ad(ad), T0.AddMinutes(1), T0.AddHours(1), Granularity.Minute, Ct);

        Assert.Empty(series);
    }

    [Fact]
    public async Task QuerySeries_ScopeNamingBothOrNeither_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Queries.QuerySeriesAsync(new SeriesScope(Guid.NewGuid(), Campaign), T0, T0.AddHours(1), Granularity.Hour, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Queries.QuerySeriesAsync(new SeriesScope(null, null), T0, T0.AddHours(1), Granularity.Hour, Ct));
    }

    [Fact]
    public async Task QueryTopAds_Range_OrdersByClicksThenImpressionsAndLimits()
    {
        var (first, second, third, fourth) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await Writer.WriteAsync(
        [
            Row(third, T0, clicks: 5, impressions: 10, version: 1),
            Row(first, T0, clicks: 5, impressions: 10, version: 1, shard: 0),
            Row(first, T0.AddMinutes(1), clicks: 4, impressions: 10, version: 1, shard: 1),
            Row(second, T0, clicks: 5, impressions: 30, version: 1),
            Row(fourth, T0, clicks: 1, impressions: 1, version: 1),
            Row(fourth, T0.AddHours(1), clicks: 100, impressions: 100, version: 1),
            Row(fourth, T0.AddMinutes(-1), clicks: 100, impressions: 100, version: 1),
        ], Ct);

        var top = await Queries.QueryTopAdsAsync(new TopAdsQuery(T0, T0.AddHours(1), 3, null, Advertiser), Ct);

        Assert.Equal([new AdTotal(first, Campaign, 9, 20), new AdTotal(second, Campaign, 5, 30), new AdTotal(third, Campaign, 5, 10)], top);
    }

    [Fact]
    public async Task QueryTopAds_SameClicksAndImpressions_OrderedByAdId()
    {
        // Ids that differ in their first digit sort alike as text, as UUIDs and as .NET Guids.
        var ads = new[] { "30000000", "10000000", "20000000" }.Select(WithPrefix).ToArray();
        await Writer.WriteAsync([.. ads.Select(ad => Row(ad, T0, clicks: 2, impressions: 3, version: 1))], Ct);

        var top = await Queries.QueryTopAdsAsync(new TopAdsQuery(T0, T0.AddHours(1), 10, null, Advertiser), Ct);

        Assert.Equal([ads[1], ads[2], ads[0]], top.Select(a => a.AdId));
    }

    [Fact]
    public async Task QueryTopAds_CampaignFilter_ReturnsItsAdsOnly()
    {
        var (ad, otherAd) = (Guid.NewGuid(), Guid.NewGuid());
        await Writer.WriteAsync([Row(ad, T0, clicks: 1, impressions: 2, version: 1), Row(otherAd, T0, clicks: 9, impressions: 9, version: 1, campaign: Guid.NewGuid())], Ct);

        var top = await Queries.QueryTopAdsAsync(new TopAdsQuery(T0, T0.AddHours(1), 10, Campaign, null), Ct);

        Assert.Equal([new AdTotal(ad, Campaign, 1, 2)], top);
    }

    [Fact]
    public async Task QueryTopAds_AdvertiserFilter_ReturnsItsAdsOnly()
    {
        var (ad, otherAd) = (Guid.NewGuid(), Guid.NewGuid());
        await Writer.WriteAsync([Row(ad, T0, clicks: 1, impressions: 2, version: 1), Row(otherAd, T0, clicks: 9, impressions: 9, version: 1, campaign: Guid.NewGuid(), advertiser: Guid.NewGuid())], Ct);

        var top = await Queries.QueryTopAdsAsync(new TopAdsQuery(T0, T0.AddHours(1), 10, null, Advertiser), Ct);

        Assert.Equal([new AdTotal(ad, Campaign, 1, 2)], top);
    }

    [Fact]
    public async Task QueryTopAds_CampaignOfAnotherAdvertiser_ReturnsNothing()
    {
        await Writer.WriteAsync([Row(Guid.NewGuid(), T0, clicks: 1, impressions: 2, version: 1)], Ct);

        var top = await Queries.QueryTopAdsAsync(new TopAdsQuery(T0, T0.AddHours(1), 10, Campaign, Guid.NewGuid()), Ct);

        Assert.Empty(top);
    }

    [Fact]
    public async Task QueryTopAds_NoFilter_ReturnsEveryAdvertisersAds()
    {
        var (ad, otherAd) = (Guid.NewGuid(), Guid.NewGuid());
        await Writer.WriteAsync([Row(ad, T0, clicks: 1, impressions: 2, version: 1), Row(otherAd, T0, clicks: 9, impressions: 9, version: 1, campaign: Guid.NewGuid(), advertiser: Guid.NewGuid())], Ct);

        var top = await Queries.QueryTopAdsAsync(new TopAdsQuery(T0, T0.AddHours(1), 100, null, null), Ct);

        Assert.Contains(top, a => a.AdId == ad);
        Assert.Contains(top, a => a.AdId == otherAd);
    }

    [Fact]
    public async Task QueryTopAds_NegativeLimit_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Queries.QueryTopAdsAsync(new TopAdsQuery(T0, T0.AddHours(1), -1, null, Advertiser), Ct));
    }

    [Fact]
    public async Task ReadHour_RowsOfSeveralSlicesAndHours_ReturnsOnlyTheSlicesRowsInTheHour()
    {
        // The slice is an id's first two hex digits; the random tail keeps tests on one store apart.
        var ad = WithPrefix("5a000000");
        var sameSlice = WithPrefix("5affffff");
        var otherSlice = WithPrefix("5b000000");
        var inHour = new[]
        {
            Row(ad, T0, 1, 2, version: 7),
            Row(ad, T0.AddMinutes(59), 3, 4, version: 8, shard: 1),
            Row(sameSlice, T0.AddMinutes(30), 5, 6, version: 9),
        };
        await Writer.WriteAsync([.. inHour, Row(ad, T0.AddHours(1), 9, 9, 1), Row(ad, T0.AddMinutes(-1), 9, 9, 1), Row(otherSlice, T0, 9, 9, 1)], Ct);

        var rows = await Queries.ReadHourAsync(T0, AdSlice.Of(ad), Ct);

        Assert.Equal(InKeyOrder(inHour), InKeyOrder(rows.Where(r => r.AdId == ad || r.AdId == sameSlice || r.AdId == otherSlice)));
        Assert.All(rows, r => Assert.Equal(AdSlice.Of(ad), AdSlice.Of(r.AdId)));
    }

    [Fact]
    public async Task ReadHour_RowRewritten_ReturnsOnlyItsLatestVersion()
    {
        var ad = Guid.NewGuid();
        await Writer.WriteAsync([Row(ad, T0.AddMinutes(5), 1, 1, version: 1)], Ct);

        await Writer.WriteAsync([Row(ad, T0.AddMinutes(5), 4, 6, version: 2)], Ct);

        Assert.Equal([Row(ad, T0.AddMinutes(5), 4, 6, version: 2)], (await Queries.ReadHourAsync(T0, AdSlice.Of(ad), Ct)).Where(r => r.AdId == ad));
    }

    [Fact]
    public async Task QueryTopAdsAndHourlySeries_MinuteRepairedInALaterWrite_CountTheRepairOnly()
    {
        var ad = Guid.NewGuid();
        await Writer.WriteAsync([Row(ad, T0.AddMinutes(5), 1, 10, version: 1), Row(ad, T0.AddMinutes(6), 2, 20, version: 1, shard: 1)], Ct);
        Assert.Equal([new AdTotal(ad, Campaign, 3, 30)], await TopAdsOfTheDay());

        await Writer.WriteAsync([Row(ad, T0.AddMinutes(5), 4, 40, version: 2)], Ct);
        await Writer.WriteAsync([Row(ad, T0.AddMinutes(5), 9, 90, version: 1)], Ct);

        Assert.Equal([new AdTotal(ad, Campaign, 6, 60)], await TopAdsOfTheDay());
        Assert.Equal([new BucketCount(T0, 6, 60)], await Queries.QuerySeriesAsync(SeriesScope.Campaign(Campaign), T0.AddHours(-1), T0.AddHours(2), Granularity.Hour, Ct));
        Assert.Equal([new BucketCount(T0.AddHours(-10), 4, 40)], await Queries.QuerySeriesAsync(SeriesScope.Campaign(Campaign), T0.AddMinutes(5), T0.AddMinutes(6), Granularity.Day, Ct));
    }

    [Fact]
    public async Task QueryTopAds_RangeStartingAndEndingMidHour_CountsOnlyTheMinutesInside()
    {
        var ad = Guid.NewGuid();
        await Writer.WriteAsync(
        [
            Row(ad, T0.AddMinutes(29), 1, 1, version: 1),
            Row(ad, T0.AddMinutes(30), 2, 2, version: 1),
            Row(ad, T0.AddHours(1), 4, 4, version: 1, shard: 2),
            Row(ad, T0.AddHours(2).AddMinutes(14), 8, 8, version: 1),
            Row(ad, T0.AddHours(2).AddMinutes(15), 16, 16, version: 1),
        ], Ct);

        var top = await Queries.QueryTopAdsAsync(new TopAdsQuery(T0.AddMinutes(30), T0.AddHours(2).AddMinutes(15), 10, Campaign, null), Ct);

        Assert.Equal([new AdTotal(ad, Campaign, 14, 14)], top);
    }

    private Task<IReadOnlyList<AdTotal>> TopAdsOfTheDay() =>
        Queries.QueryTopAdsAsync(new TopAdsQuery(T0.AddDays(-1), T0.AddDays(1), 10, Campaign, null), Ct);

    [Fact]
    public async Task ReadHour_TimeInsideAnHour_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Queries.ReadHourAsync(T0.AddMinutes(1), 0, Ct));
    }

    [Fact]
    public async Task ReadLatestVersion_NoRows_ReturnsNull()
    {
        await Writer.WriteAsync([Row(Guid.NewGuid(), T0, 1, 1, version: 5)], Ct);

        Assert.Null(await Queries.ReadLatestVersionAsync(new AdKey(Guid.NewGuid(), 0), Ct));
    }

    [Fact]
    public async Task ReadLatestVersion_RowsInSeveralMinutes_ReturnsTheShardsHighest()
    {
        var ad = Guid.NewGuid();
        await Writer.WriteAsync(
        [
            Row(ad, T0.AddDays(-3), 1, 1, version: 40),
            Row(ad, T0, 1, 1, version: 30),
            Row(ad, T0.AddDays(-3), 1, 1, version: 99, shard: 1),
            Row(Guid.NewGuid(), T0, 1, 1, version: 99),
        ], Ct);

        await Writer.WriteAsync([Row(ad, T0.AddDays(-3), 2, 2, version: 10)], Ct);

        Assert.Equal(40, await Queries.ReadLatestVersionAsync(new AdKey(ad, 0), Ct));
        Assert.Equal(99, await Queries.ReadLatestVersionAsync(new AdKey(ad, 1), Ct));
    }

    protected MinuteCountRow Row(Guid ad, DateTimeOffset minute, long clicks, long impressions, long version, int shard = 0, Guid? campaign = null, Guid? advertiser = null) =>
        new(ad, shard, campaign ?? Campaign, advertiser ?? Advertiser, minute, clicks, impressions, version);

    protected Task<IReadOnlyList<BucketCount>> MinuteSeries(Guid ad) =>
        Queries.QuerySeriesAsync(SeriesScope.Ad(ad), T0.AddDays(-1), T0.AddDays(1), Granularity.Minute, Ct);

    // The hour read promises no order, so rows are compared in one.
    private static MinuteCountRow[] InKeyOrder(IEnumerable<MinuteCountRow> rows) => [.. rows.OrderBy(r => r.AdId).ThenBy(r => r.Shard).ThenBy(r => r.Minute)];

    private static Guid WithPrefix(string prefix) => Guid.Parse(prefix + Guid.NewGuid().ToString()[8..]);
}
