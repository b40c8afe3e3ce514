using DuckDB.NET.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Tests.Storage.Aggregates;

public sealed class DuckDbAggregateStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Advertiser = Guid.NewGuid();
    private static readonly Guid Campaign = Guid.NewGuid();

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "adclicks-duckdb-" + Guid.NewGuid().ToString("N"));
    private readonly List<DuckDbAggregateStore> _stores = [];

    private string StorePath => Path.Combine(_directory, "aggregates.duckdb");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task WriteAsync_HigherVersion_ReplacesRow()
    {
        var store = Open();
        var ad = Guid.NewGuid();
        await store.WriteAsync([Row(ad, T0, clicks: 3, impressions: 10, version: 1)], Ct);

        await store.WriteAsync([Row(ad, T0, clicks: 5, impressions: 12, version: 2)], Ct);

        Assert.Equal([new BucketCount(T0, 5, 12)], await MinuteSeries(store, ad));
    }

    [Fact]
    public async Task WriteAsync_LowerVersion_ChangesNothing()
    {
        var store = Open();
        var ad = Guid.NewGuid();
        await store.WriteAsync([Row(ad, T0, clicks: 5, impressions: 12, version: 2)], Ct);

        await store.WriteAsync([Row(ad, T0, clicks: 3, impressions: 10, version: 1)], Ct);

        Assert.Equal([new BucketCount(T0, 5, 12)], await MinuteSeries(store, ad));
    }

    [Fact]
    public async Task WriteAsync_SameVersionReplayed_ChangesNothing()
    {
        var store = Open();
        var ad = Guid.NewGuid();
        MinuteCountRow[] rows = [Row(ad, T0, clicks: 5, impressions: 12, version: 2), Row(ad, T0.AddMinutes(1), clicks: 1, impressions: 4, version: 2)];
        await store.WriteAsync(rows, Ct);

        await store.WriteAsync(rows, Ct);

        Assert.Equal([new BucketCount(T0, 5, 12), new BucketCount(T0.AddMinutes(1), 1, 4)], await MinuteSeries(store, ad));
    }

    [Fact]
    public async Task WriteAsync_SameRowTwiceInOneWrite_KeepsHighestVersion()
    {
        var store = Open();
        var ad = Guid.NewGuid();

        await store.WriteAsync(
        [
            Row(ad, T0, clicks: 2, impressions: 2, version: 1),
            Row(ad, T0, clicks: 7, impressions: 9, version: 3),
            Row(ad, T0, clicks: 3, impressions: 3, version: 2),
            Row(ad, T0.AddMinutes(1), clicks: 7, impressions: 9, version: 3),
            Row(ad, T0.AddMinutes(1), clicks: 2, impressions: 2, version: 1),
        ], Ct);

        Assert.Equal([new BucketCount(T0, 7, 9), new BucketCount(T0.AddMinutes(1), 7, 9)], await MinuteSeries(store, ad));
    }

    [Fact]
    public async Task WriteAsync_UnalignedMinute_StoredInItsMinute()
    {
        var store = Open();
        var ad = Guid.NewGuid();
        await store.WriteAsync([Row(ad, T0.AddSeconds(10), clicks: 1, impressions: 1, version: 1)], Ct);

        await store.WriteAsync([Row(ad, T0.AddSeconds(50), clicks: 2, impressions: 3, version: 2)], Ct);

        Assert.Equal([new BucketCount(T0, 2, 3)], await MinuteSeries(store, ad));
    }

    [Fact]
    public async Task QuerySeriesAsync_Minute_SumsShardsWithinRange()
    {
        var store = Open();
        var ad = Guid.NewGuid();
        await store.WriteAsync(
        [
            Row(ad, T0.AddMinutes(-1), clicks: 100, impressions: 100, version: 1),
            Row(ad, T0, clicks: 1, impressions: 10, version: 1, shard: 0),
            Row(ad, T0, clicks: 2, impressions: 20, version: 1, shard: 1),
            Row(ad, T0.AddMinutes(2), clicks: 4, impressions: 40, version: 1, shard: 3),
            Row(ad, T0.AddMinutes(3), clicks: 100, impressions: 100, version: 1),
            Row(Guid.NewGuid(), T0, clicks: 100, impressions: 100, version: 1),
        ], Ct);

        var series = await store.QuerySeriesAsync(SeriesScope.Ad(ad), T0, T0.AddMinutes(3), Granularity.Minute, Ct);

        Assert.Equal([new BucketCount(T0, 3, 30), new BucketCount(T0.AddMinutes(2), 4, 40)], series);
    }

    [Fact]
    public async Task QuerySeriesAsync_Hour_SumsShardsPerHourAndLeavesOutEmptyHours()
    {
        var store = Open();
        var ad = Guid.NewGuid();
        await store.WriteAsync(
        [
            Row(ad, T0, clicks: 1, impressions: 10, version: 1, shard: 0),
            Row(ad, T0.AddMinutes(59), clicks: 2, impressions: 20, version: 1, shard: 1),
            Row(ad, T0.AddHours(2).AddMinutes(30), clicks: 4, impressions: 40, version: 1),
        ], Ct);

        var series = await store.QuerySeriesAsync(SeriesScope.Ad(ad), T0, T0.AddHours(3), Granularity.Hour, Ct);

        Assert.Equal([new BucketCount(T0, 3, 30), new BucketCount(T0.AddHours(2), 4, 40)], series);
    }

    [Fact]
    public async Task QuerySeriesAsync_CampaignPerDay_SumsItsAdsOnly()
    {
        var store = Open();
        var day = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var otherCampaign = Guid.NewGuid();
        await store.WriteAsync(
        [
            Row(Guid.NewGuid(), day.AddHours(1), clicks: 1, impressions: 10, version: 1),
            Row(Guid.NewGuid(), day.AddHours(23).AddMinutes(59), clicks: 2, impressions: 20, version: 1, shard: 2),
            Row(Guid.NewGuid(), day.AddDays(1), clicks: 4, impressions: 40, version: 1),
            Row(Guid.NewGuid(), day.AddHours(5), clicks: 100, impressions: 100, version: 1, campaign: otherCampaign),
        ], Ct);

        var series = await store.QuerySeriesAsync(SeriesScope.Campaign(Campaign), day, day.AddDays(2), Granularity.Day, Ct);

        Assert.Equal([new BucketCount(day, 3, 30), new BucketCount(day.AddDays(1), 4, 40)], series);
    }

    [Fact]
    public async Task QuerySeriesAsync_NoRowsInRange_ReturnsEmpty()
    {
        var store = Open();
        var ad = Guid.NewGuid();
        await store.WriteAsync([Row(ad, T0, clicks: 1, impressions: 1, version: 1)], Ct);

        var series = await store.QuerySeriesAsync(SeriesScope.Ad(ad), T0.AddMinutes(1), T0.AddHours(1), Granularity.Minute, Ct);

        Assert.Empty(series);
    }

    [Fact]
    public async Task QueryTopAdsAsync_Range_OrdersByClicksThenImpressionsAndLimits()
    {
        var store = Open();
        var (first, second, third, fourth) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await store.WriteAsync(
        [
            Row(third, T0, clicks: 5, impressions: 10, version: 1),
            Row(first, T0, clicks: 5, impressions: 10, version: 1, shard: 0),
            Row(first, T0.AddMinutes(1), clicks: 4, impressions: 10, version: 1, shard: 1),
            Row(second, T0, clicks: 5, impressions: 30, version: 1),
            Row(fourth, T0, clicks: 1, impressions: 1, version: 1),
            Row(fourth, T0.AddHours(1), clicks: 100, impressions: 100, version: 1),
        ], Ct);

        var top = await store.QueryTopAdsAsync(new TopAdsQuery(T0, T0.AddHours(1), 3, null, null), Ct);

        Assert.Equal([new AdTotal(first, Campaign, 9, 20), new AdTotal(second, Campaign, 5, 30), new AdTotal(third, Campaign, 5, 10)], top);
    }

    [Fact]
    public async Task QueryTopAdsAsync_CampaignFilter_ReturnsItsAdsOnly()
    {
        var store = Open();
        var (ad, otherAd, otherCampaign) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await store.WriteAsync([Row(ad, T0, clicks: 1, impressions: 2, version: 1), Row(otherAd, T0, clicks: 9, impressions: 9, version: 1, campaign: otherCampaign)], Ct);

        var top = await store.QueryTopAdsAsync(new TopAdsQuery(T0, T0.AddHours(1), 10, Campaign, null), Ct);

        Assert.Equal([new AdTotal(ad, Campaign, 1, 2)], top);
    }

    [Fact]
    public async Task QueryTopAdsAsync_AdvertiserFilter_ReturnsItsAdsOnly()
    {
        var store = Open();
        var (ad, otherAd, otherCampaign, otherAdvertiser) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await store.WriteAsync([Row(ad, T0, clicks: 1, impressions: 2, version: 1), Row(otherAd, T0, clicks: 9, impressions: 9, version: 1, campaign: otherCampaign, advertiser: otherAdvertiser)], Ct);

        var top = await store.QueryTopAdsAsync(new TopAdsQuery(T0, T0.AddHours(1), 10, null, Advertiser), Ct);

        Assert.Equal([new AdTotal(ad, Campaign, 1, 2)], top);
    }

    [Fact]
    public async Task Open_TwoStoresOnOneFileSpelledDifferently_SeeEachOthersWrites()
    {
        var first = Open();
        var second = Open(Path.Combine(_directory, ".", "aggregates.duckdb"));
        var (ad1, ad2) = (Guid.NewGuid(), Guid.NewGuid());

        await first.WriteAsync([Row(ad1, T0, clicks: 1, impressions: 1, version: 1)], Ct);
        await second.WriteAsync([Row(ad2, T0, clicks: 2, impressions: 2, version: 1)], Ct);

        Assert.Equal([new BucketCount(T0, 2, 2)], await MinuteSeries(first, ad2));
        Assert.Equal([new BucketCount(T0, 1, 1)], await MinuteSeries(second, ad1));
    }

    [Fact]
    public async Task DisposeAsync_OneOfTwoStores_OtherKeepsWorking()
    {
        var first = Open();
        var second = Open();
        var ad = Guid.NewGuid();
        await first.WriteAsync([Row(ad, T0, clicks: 1, impressions: 1, version: 1)], Ct);

        await first.DisposeAsync();
        await second.WriteAsync([Row(ad, T0.AddMinutes(1), clicks: 2, impressions: 2, version: 1)], Ct);

        Assert.Equal([new BucketCount(T0, 1, 1), new BucketCount(T0.AddMinutes(1), 2, 2)], await MinuteSeries(second, ad));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => first.WriteAsync([Row(ad, T0, clicks: 9, impressions: 9, version: 9)], Ct));
    }

    [Fact]
    public async Task WriteAsync_ManyConcurrentCallers_AllRowsLand()
    {
        var store = Open();
        const int callers = 50;
        const int rowsPerCaller = 200;

        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(() =>
        {
            var rows = Enumerable.Range(0, rowsPerCaller)
                .Select(i => Row(Guid.NewGuid(), T0.AddMinutes(i % 60), clicks: 1, impressions: 2, version: 1, shard: caller))
                .ToArray();
            return store.WriteAsync(rows, Ct);
        }, Ct)));

        var series = await store.QuerySeriesAsync(SeriesScope.Campaign(Campaign), T0, T0.AddHours(1), Granularity.Hour, Ct);
        Assert.Equal([new BucketCount(T0, callers * rowsPerCaller, 2L * callers * rowsPerCaller)], series);
    }

    [Fact]
    public async Task DisposeAsync_WritesPending_CommitsThemAndReopenKeepsData()
    {
        var store = Open();
        var ad = Guid.NewGuid();
        var pending = Enumerable.Range(0, 20)
            .Select(i => store.WriteAsync([Row(ad, T0.AddMinutes(i), clicks: 1, impressions: 1, version: 1)], Ct))
            .ToArray();

        await store.DisposeAsync();
        await Task.WhenAll(pending);
        var reopened = Open();

        var series = await reopened.QuerySeriesAsync(SeriesScope.Ad(ad), T0, T0.AddHours(1), Granularity.Hour, Ct);
        Assert.Equal([new BucketCount(T0, 20, 20)], series);
    }

    [Fact]
    public async Task DuckDbConnection_SameDataSource_SharesOneDatabaseInstance()
    {
        Directory.CreateDirectory(_directory);
        var dataSource = $"Data Source={StorePath}";
        await using var writer = new DuckDBConnection(dataSource);
        await writer.OpenAsync(Ct);
        await using var reader = new DuckDBConnection(dataSource);
        await reader.OpenAsync(Ct);

        await using (var create = writer.CreateCommand())
        {
            create.CommandText = "CREATE TABLE shared_probe AS SELECT 42 AS answer";
            await create.ExecuteNonQueryAsync(Ct);
        }

        await using var query = reader.CreateCommand();
        query.CommandText = "SELECT answer FROM shared_probe";
        Assert.Equal(42, await query.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task ReadHourAsync_RowsOfSeveralSlicesAndHours_ReturnsOnlyTheSlicesRowsInTheHour()
    {
        var store = Open();
        var ad = Guid.Parse("5a000000-0000-4000-8000-000000000001");
        var sameSlice = Guid.Parse("5affffff-0000-4000-8000-000000000002");
        var otherSlice = Guid.Parse("5b000000-0000-4000-8000-000000000003");
        var inHour = new[]
        {
            Row(ad, T0, 1, 2, version: 7),
            Row(ad, T0.AddMinutes(59), 3, 4, version: 8, shard: 1),
            Row(sameSlice, T0.AddMinutes(30), 5, 6, version: 9),
        };
        await store.WriteAsync([.. inHour, Row(ad, T0.AddHours(1), 9, 9, 1), Row(ad, T0.AddMinutes(-1), 9, 9, 1), Row(otherSlice, T0, 9, 9, 1)], Ct);

        var rows = await store.ReadHourAsync(T0, AdSlice.Of(ad), Ct);

        Assert.Equal(inHour, rows);
    }

    [Fact]
    public async Task ReadHourAsync_TimeInsideAnHour_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Open().ReadHourAsync(T0.AddMinutes(1), 0, Ct));
    }

    private static MinuteCountRow Row(Guid ad, DateTimeOffset minute, long clicks, long impressions, long version, int shard = 0, Guid? campaign = null, Guid? advertiser = null) =>
        new(ad, shard, campaign ?? Campaign, advertiser ?? Advertiser, minute, clicks, impressions, version);

    private static Task<IReadOnlyList<BucketCount>> MinuteSeries(DuckDbAggregateStore store, Guid ad) =>
        store.QuerySeriesAsync(SeriesScope.Ad(ad), T0.AddDays(-1), T0.AddDays(1), Granularity.Minute, Ct);

    private DuckDbAggregateStore Open(string? path = null)
    {
        var store = DuckDbAggregateStore.Open(path ?? StorePath, NullLogger<DuckDbAggregateStore>.Instance);
        _stores.Add(store);
        return store;
    }
}
