using DuckDB.NET.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Aggregates.Queries;

namespace Orleans.AdClicks.Tests.Storage.Aggregates;

/// <summary>The hourly breakdowns in a real DuckDB file: merged by version, read per scope and tenant, created in an older file.</summary>
public sealed class DuckDbBreakdownTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Hour = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Advertiser = Guid.NewGuid();
    private static readonly Guid Campaign = Guid.NewGuid();

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "adclicks-breakdowns-" + Guid.NewGuid().ToString("N"));
    private readonly List<DuckDbAggregateStore> _stores = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
    public async Task WriteBreakdowns_OlderVersionIgnored_EqualOrNewerReplaces()
    {
        var store = Open();
        var ad = Guid.NewGuid();
        await store.WriteBreakdownsAsync([Row(ad, "mobile", clicks: 5, version: 10)], Ct);

        await store.WriteBreakdownsAsync([Row(ad, "mobile", clicks: 3, version: 9)], Ct);
        var afterOlder = await DevicesAsync(store, SeriesScope.Ad(ad));
        await store.WriteBreakdownsAsync([Row(ad, "mobile", clicks: 6, version: 10)], Ct);
        var afterEqual = await DevicesAsync(store, SeriesScope.Ad(ad));
        await store.WriteBreakdownsAsync([Row(ad, "mobile", clicks: 7, version: 12), Row(ad, "mobile", clicks: 2, version: 11)], Ct);

        Assert.Equal([new BreakdownTotal("mobile", 5, 0)], afterOlder);
        Assert.Equal([new BreakdownTotal("mobile", 6, 0)], afterEqual);
        Assert.Equal([new BreakdownTotal("mobile", 7, 0)], await DevicesAsync(store, SeriesScope.Ad(ad)));
    }

    [Fact]
    public async Task WriteBreakdowns_WithoutMinuteRows_CountTowardsTheShardsLatestVersion()
    {
        var store = Open();
        var ad = Guid.NewGuid();
        await store.WriteAsync([new MinuteCountRow(ad, 0, Campaign, Advertiser, Hour, 1, 0, 20)], Ct);

        await store.WriteBreakdownsAsync([Row(ad, "desktop", clicks: 1, version: 25)], Ct);
        await store.WriteBreakdownsAsync([Row(ad, "desktop", clicks: 1, version: 30) with { Shard = 1 }], Ct);

        Assert.Equal(25, await store.ReadLatestVersionAsync(new AdKey(ad, 0), Ct));
        Assert.Equal(30, await store.ReadLatestVersionAsync(new AdKey(ad, 1), Ct));
    }

    [Fact]
    public async Task WriteBreakdowns_BesideMinuteRows_BothCommitted()
    {
        var store = Open();
        var ad = Guid.NewGuid();

        await Task.WhenAll(
            store.WriteAsync([new MinuteCountRow(ad, 0, Campaign, Advertiser, Hour.AddMinutes(5), 2, 1, 3)], Ct),
            store.WriteBreakdownsAsync([Row(ad, "tablet", clicks: 2, version: 3) with { Impressions = 1 }], Ct));

        Assert.Equal([new BucketCount(Hour, 2, 1)], await store.QuerySeriesAsync(SeriesScope.Ad(ad), Hour, Hour.AddHours(1), Granularity.Hour, Ct));
        Assert.Equal([new BreakdownTotal("tablet", 2, 1)], await DevicesAsync(store, SeriesScope.Ad(ad)));
    }

    [Fact]
    public async Task QueryBreakdown_SumsShardsAndHoursOfTheScope_OnlyTheTenantsRows_RankedByClicksImpressionsValue()
    {
        var store = Open();
        var (ad, otherAd, otherAdvertiser) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await store.WriteBreakdownsAsync(
        [
            Row(ad, "mobile", clicks: 2, version: 1),
            Row(ad, "mobile", clicks: 1, version: 1) with { Shard = 1 },
            Row(ad, "mobile", clicks: 4, version: 1) with { Hour = Hour.AddHours(1) },
            Row(ad, "mobile", clicks: 100, version: 1) with { Hour = Hour.AddHours(2) },
            Row(ad, "desktop", clicks: 7, version: 1) with { Impressions = 3 },
            Row(ad, "tablet", clicks: 7, version: 1) with { Impressions = 3 },
            Row(ad, "bot", clicks: 7, version: 1) with { Impressions = 9 },
            Row(ad, "Chrome", clicks: 50, version: 1) with { Dimension = BreakdownDimension.Browser },
            Row(otherAd, "mobile", clicks: 10, version: 1),
            Row(otherAd, "mobile", clicks: 1000, version: 1) with { AdvertiserId = otherAdvertiser, CampaignId = Guid.NewGuid() },
        ],
        Ct);

        var adDevices = await store.QueryBreakdownAsync(new BreakdownQuery(AnalyticsTenant.All, SeriesScope.Ad(ad), BreakdownDimension.Device, Hour, Hour.AddHours(2)), Ct);
        var campaign = await store.QueryBreakdownAsync(new BreakdownQuery(AnalyticsTenant.Advertiser(Advertiser), SeriesScope.Campaign(Campaign), BreakdownDimension.Device, Hour, Hour.AddHours(1)), Ct);
        var tenantsOnly = await store.QueryBreakdownAsync(new BreakdownQuery(AnalyticsTenant.Advertiser(Advertiser), SeriesScope.Ad(otherAd), BreakdownDimension.Device, Hour, Hour.AddHours(1)), Ct);

        Assert.Equal([new BreakdownTotal("bot", 7, 9), new BreakdownTotal("desktop", 7, 3), new BreakdownTotal("tablet", 7, 3), new BreakdownTotal("mobile", 7, 0)], adDevices);
        Assert.Equal([new BreakdownTotal("mobile", 13, 0), new BreakdownTotal("bot", 7, 9), new BreakdownTotal("desktop", 7, 3), new BreakdownTotal("tablet", 7, 3)], campaign);
        Assert.Equal([new BreakdownTotal("mobile", 10, 0)], tenantsOnly);
    }

    [Fact]
    public async Task Open_FileWrittenBeforeBreakdowns_CreatesTheirTable()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "before-breakdowns.duckdb");
        await using (var old = new DuckDBConnection(new DuckDBConnectionStringBuilder { DataSource = Path.GetFullPath(path) }.ConnectionString))
        {
            await old.OpenAsync(Ct);
            await using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE minute_counts (
                    ad_id UUID NOT NULL, shard INTEGER NOT NULL, minute TIMESTAMP NOT NULL, campaign_id UUID NOT NULL,
                    advertiser_id UUID NOT NULL, clicks BIGINT NOT NULL, impressions BIGINT NOT NULL, version BIGINT NOT NULL,
                    PRIMARY KEY (ad_id, shard, minute));
                """;
            await command.ExecuteNonQueryAsync(Ct);
        }

        var store = Open(path);
        var ad = Guid.NewGuid();
        await store.WriteBreakdownsAsync([Row(ad, "DE", clicks: 1, version: 1) with { Dimension = BreakdownDimension.Country }], Ct);

        Assert.Equal(
            [new BreakdownTotal("DE", 1, 0)],
            await store.QueryBreakdownAsync(new BreakdownQuery(AnalyticsTenant.All, SeriesScope.Ad(ad), BreakdownDimension.Country, Hour, Hour.AddHours(1)), Ct));
    }

    private static HourBreakdownRow Row(Guid ad, string value, long clicks, long version) =>
        new(ad, 0, Campaign, Advertiser, Hour, BreakdownDimension.Device, value, clicks, 0, version);

    private static Task<IReadOnlyList<BreakdownTotal>> DevicesAsync(DuckDbAggregateStore store, SeriesScope scope) =>
        store.QueryBreakdownAsync(new BreakdownQuery(AnalyticsTenant.All, scope, BreakdownDimension.Device, Hour, Hour.AddHours(1)), Ct);

    private DuckDbAggregateStore Open(string? path = null)
    {
        var store = DuckDbAggregateStore.Open(path ?? Path.Combine(_directory, "aggregates.duckdb"), NullLogger<DuckDbAggregateStore>.Instance);
        _stores.Add(store);
        return store;
    }
}
