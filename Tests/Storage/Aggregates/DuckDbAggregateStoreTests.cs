using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Aggregates.Queries;

namespace Orleans.AdClicks.Tests.Storage.Aggregates;

/// <summary>The contract on a DuckDB file of its own per test, and how stores share and close a file.</summary>
public sealed class DuckDbAggregateStoreTests : AggregateStoreContractTests, IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "adclicks-duckdb-" + Guid.NewGuid().ToString("N"));
    private readonly List<DuckDbAggregateStore> _stores = [];
    private DuckDbAggregateStore? _store;

    protected override IMinuteCountWriter Writer => _store ??= Open();

    protected override IAggregateQueries Queries => _store ??= Open();

    private string StorePath => Path.Combine(_directory, "aggregates.duckdb");

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
        await Assert.ThrowsAsync<ObjectDisposedException>(() => first.ReadLatestVersionAsync(new AdKey(ad, 0), Ct));
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
    public async Task AddDuckDbAggregates_WriterAndQueries_OneStoreClosedWithTheContainer()
    {
        var services = new ServiceCollection().AddLogging().AddDuckDbAggregates(StorePath).BuildServiceProvider();
        var (writer, queries) = (services.GetRequiredService<IMinuteCountWriter>(), services.GetRequiredService<IAggregateQueries>());
        var ad = Guid.NewGuid();

        await writer.WriteAsync([Row(ad, T0, clicks: 3, impressions: 4, version: 1)], Ct);
        var series = await MinuteSeries(queries, ad);
        await services.DisposeAsync();

        Assert.Same(writer, queries);
        Assert.Equal([new BucketCount(T0, 3, 4)], series);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.WriteAsync([Row(ad, T0, clicks: 9, impressions: 9, version: 9)], Ct));
        Assert.Equal([new BucketCount(T0, 3, 4)], await MinuteSeries(Open(), ad));
    }

    [Fact]
    public async Task ReadLatestVersion_ThousandsOfAdShards_AnIndexScanOfOneRowNotATableScan()
    {
        var store = Open();
        var ads = Enumerable.Range(0, 5_000).Select(_ => Guid.NewGuid()).ToList();
        await store.WriteAsync([.. ads.SelectMany(ad => Enumerable.Range(0, 3).Select(m => Row(ad, T0.AddMinutes(m), clicks: 1, impressions: 1, version: m + 1)))], Ct);
        var connection = new DuckDBConnectionStringBuilder { DataSource = Path.GetFullPath(StorePath) }.ConnectionString;

        // EXPLAIN ANALYZE: DuckDB picks the index scan when it runs the query, after plain EXPLAIN prints its plan.
        await using var duckDb = new DuckDBConnection(connection);
        await duckDb.OpenAsync(Ct);
        await using var explain = duckDb.CreateCommand();
        explain.CommandText = "EXPLAIN ANALYZE " + DuckDbSqlRenderer.LatestVersionSql;
        explain.Parameters.Add(new DuckDBParameter("key", $"{ads[1234]:D}/0"));
        await using var reader = await explain.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        var plan = reader.GetString(1);

        Assert.Contains("Index Scan", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sequential Scan", plan, StringComparison.Ordinal);
        Assert.Equal(3, await store.ReadLatestVersionAsync(new AdKey(ads[1234], 0), Ct));
    }

    [Fact]
    public async Task QuerySeries_OneAdOfThousands_AnIndexScanNotATableScan()
    {
        var store = Open();
        var ads = Enumerable.Range(0, 5_000).Select(_ => Guid.NewGuid()).ToList();
        var advertisers = new[] { Guid.NewGuid(), Guid.NewGuid() };
        await store.WriteAsync([.. ads.SelectMany((ad, i) => Enumerable.Range(0, 3).Select(m =>
            new MinuteCountRow(ad, 0, advertisers[i % 2], advertisers[i % 2], T0.AddMinutes(m), 1, 1, m + 1)))], Ct);

        // The tenant's advertiser and the range beside the ad made DuckDB 1.5 scan the whole table.
        var plan = await ExplainAnalyzeAsync(AggregateQuery.Series(AnalyticsTenant.Advertiser(advertisers[0]), SeriesScope.Ad(ads[1234]), T0, T0.AddHours(1), Granularity.Minute));

        Assert.Contains("Index Scan", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sequential Scan", plan, StringComparison.Ordinal);
        Assert.Equal(3, (await store.QuerySeriesAsync(AnalyticsTenant.Advertiser(advertisers[0]), SeriesScope.Ad(ads[1234]), T0, T0.AddHours(1), Granularity.Minute, Ct)).Count);
    }

    [Fact]
    public async Task QueryTopAds_WholeHours_ReadTheHourlyRollupNotTheMinutes()
    {
        var store = Open();
        var (ad, other) = (Guid.NewGuid(), Guid.NewGuid());
        await store.WriteAsync([.. Enumerable.Range(0, 120).Select(m => Row(ad, T0.AddMinutes(m), clicks: 1, impressions: 2, version: m + 1)), Row(other, T0, 3, 3, 1)], Ct);
        var query = new TopAdsQuery(T0, T0.AddHours(2), 10, null, null);

        var plan = await ExplainAnalyzeAsync(AggregateQuery.TopAds(AnalyticsTenant.All, query));

        Assert.Contains("hour_counts", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("minute_counts", plan, StringComparison.Ordinal);
        Assert.Equal([new AdTotal(ad, Campaign, 120, 240), new AdTotal(other, Campaign, 3, 3)], await store.QueryTopAdsAsync(query, Ct));
    }

    [Fact]
    public async Task Open_FileWrittenBeforeTheHourlyRollup_BackfillsItOnce()
    {
        // The schema and rows as the version before hour_counts and the ad_id index left them.
        var ad = Guid.NewGuid();
        var path = await WriteOldFileAsync("before-rollup.duckdb", $"""
            CREATE TABLE minute_counts (
                ad_id UUID NOT NULL, shard INTEGER NOT NULL, minute TIMESTAMP NOT NULL, campaign_id UUID NOT NULL,
                advertiser_id UUID NOT NULL, clicks BIGINT NOT NULL, impressions BIGINT NOT NULL, version BIGINT NOT NULL,
                PRIMARY KEY (ad_id, shard, minute));
            CREATE TABLE latest_versions (ad_shard VARCHAR PRIMARY KEY, version BIGINT NOT NULL);
            INSERT INTO latest_versions VALUES ('{ad}/0', 2), ('{ad}/1', 1);
            INSERT INTO minute_counts VALUES
                ('{ad}', 0, TIMESTAMP '2026-03-01 10:00:00', '{ad}', '{ad}', 1, 10, 1),
                ('{ad}', 0, TIMESTAMP '2026-03-01 10:59:00', '{ad}', '{ad}', 2, 20, 2),
                ('{ad}', 1, TIMESTAMP '2026-03-01 11:00:00', '{ad}', '{ad}', 4, 40, 1);
            """);

        var store = Open(path);
        var hour = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal([new BucketCount(hour, 3, 30), new BucketCount(hour.AddHours(1), 4, 40)], await store.QuerySeriesAsync(SeriesScope.Campaign(ad), hour, hour.AddHours(2), Granularity.Hour, Ct));
        await store.WriteAsync([new MinuteCountRow(ad, 1, ad, ad, hour.AddHours(1).AddMinutes(1), 8, 80, 2)], Ct);
        Assert.Equal([new AdTotal(ad, ad, 15, 150)], await store.QueryTopAdsAsync(new TopAdsQuery(hour, hour.AddHours(2), 10, null, null), Ct));
    }

    [Fact]
    public async Task Open_FileWrittenBeforeLatestVersionsWereKept_ReadsEachShardsHighestVersion()
    {
        // The schema and rows as the version before latest_versions left them.
        var (ad, other) = (Guid.NewGuid(), Guid.NewGuid());
        var path = await WriteOldFileAsync("before.duckdb", $"""
            CREATE TABLE minute_counts (
                ad_id UUID NOT NULL, shard INTEGER NOT NULL, minute TIMESTAMP NOT NULL, campaign_id UUID NOT NULL,
                advertiser_id UUID NOT NULL, clicks BIGINT NOT NULL, impressions BIGINT NOT NULL, version BIGINT NOT NULL,
                PRIMARY KEY (ad_id, shard, minute));
            INSERT INTO minute_counts VALUES
                ('{ad}', 0, TIMESTAMP '2026-03-01 10:00:00', '{other}', '{other}', 1, 1, 7),
                ('{ad}', 0, TIMESTAMP '2026-03-01 10:01:00', '{other}', '{other}', 1, 1, 42),
                ('{ad}', 1, TIMESTAMP '2026-03-01 10:00:00', '{other}', '{other}', 1, 1, 5);
            """);

        var store = Open(path);

        Assert.Equal(42, await store.ReadLatestVersionAsync(new AdKey(ad, 0), Ct));
        Assert.Equal(5, await store.ReadLatestVersionAsync(new AdKey(ad, 1), Ct));
        Assert.Null(await store.ReadLatestVersionAsync(new AdKey(other, 0), Ct));
        await store.WriteAsync([Row(ad, T0, clicks: 1, impressions: 1, version: 43)], Ct);
        Assert.Equal(43, await store.ReadLatestVersionAsync(new AdKey(ad, 0), Ct));
    }

    [Fact]
    public async Task Open_FileWrittenBeforeInvalidClickColumns_ReadsZerosThenKeepsWhatIsWritten()
    {
        // The schema and rows as the version before the invalid-click columns left them.
        var ad = Guid.NewGuid();
        var path = await WriteOldFileAsync("before-invalid.duckdb", $"""
            CREATE TABLE minute_counts (
                ad_id UUID NOT NULL, shard INTEGER NOT NULL, minute TIMESTAMP NOT NULL, campaign_id UUID NOT NULL,
                advertiser_id UUID NOT NULL, clicks BIGINT NOT NULL, impressions BIGINT NOT NULL, version BIGINT NOT NULL,
                PRIMARY KEY (ad_id, shard, minute));
            CREATE TABLE latest_versions (ad_shard VARCHAR PRIMARY KEY, version BIGINT NOT NULL);
            CREATE INDEX minute_counts_by_ad ON minute_counts (ad_id);
            CREATE TABLE hour_counts (
                ad_id UUID NOT NULL, shard INTEGER NOT NULL, hour TIMESTAMP NOT NULL, campaign_id UUID NOT NULL,
                advertiser_id UUID NOT NULL, clicks BIGINT NOT NULL, impressions BIGINT NOT NULL,
                PRIMARY KEY (ad_id, shard, hour));
            INSERT INTO latest_versions VALUES ('{ad}/0', 1);
            INSERT INTO minute_counts VALUES ('{ad}', 0, TIMESTAMP '2026-03-01 10:00:00', '{ad}', '{ad}', 1, 10, 1);
            INSERT INTO hour_counts VALUES ('{ad}', 0, TIMESTAMP '2026-03-01 10:00:00', '{ad}', '{ad}', 1, 10);
            """);
        var hour = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var invalid = new InvalidClickCounts(1, 2, 3, 4, 5);

        var store = Open(path);
        var before = await store.QuerySeriesAsync(SeriesScope.Campaign(ad), hour, hour.AddHours(1), Granularity.Hour, Ct);
        await store.WriteAsync([new MinuteCountRow(ad, 0, ad, ad, hour.AddMinutes(1), 2, 20, 2, invalid)], Ct);
        await store.DisposeAsync();
        var reopened = Open(path);

        Assert.Equal([new BucketCount(hour, 1, 10)], before);
        Assert.Equal([new BucketCount(hour, 3, 30, invalid)], await reopened.QuerySeriesAsync(SeriesScope.Campaign(ad), hour, hour.AddHours(1), Granularity.Hour, Ct));
        Assert.Equal([new AdTotal(ad, ad, 3, 30, invalid)], await reopened.QueryTopAdsAsync(new TopAdsQuery(hour, hour.AddHours(1), 10, null, null), Ct));
        Assert.Equal(
            [new MinuteCountRow(ad, 0, ad, ad, hour, 1, 10, 1), new MinuteCountRow(ad, 0, ad, ad, hour.AddMinutes(1), 2, 20, 2, invalid)],
            await reopened.ReadHourAsync(hour, AdSlice.Of(ad), Ct));
    }

    /// <summary>The plan DuckDB ran the store's SQL for <paramref name="query"/> by (EXPLAIN ANALYZE: it picks index scans when it runs).</summary>
    private async Task<string> ExplainAnalyzeAsync(AggregateQuery query)
    {
        await using var duckDb = new DuckDBConnection(new DuckDBConnectionStringBuilder { DataSource = Path.GetFullPath(StorePath) }.ConnectionString);
        await duckDb.OpenAsync(Ct);
        await using var explain = duckDb.CreateCommand();
        var (sql, parameters) = DuckDbSqlRenderer.Render(query);
        explain.CommandText = "EXPLAIN ANALYZE " + sql;
        explain.Parameters.AddRange(parameters);
        await using var reader = await explain.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        return reader.GetString(1);
    }

    private static Task<IReadOnlyList<BucketCount>> MinuteSeries(IAggregateQueries store, Guid ad) =>
        store.QuerySeriesAsync(SeriesScope.Ad(ad), T0.AddDays(-1), T0.AddDays(1), Granularity.Minute, Ct);

    private DuckDbAggregateStore Open(string? path = null)
    {
        var store = DuckDbAggregateStore.Open(path ?? StorePath, NullLogger<DuckDbAggregateStore>.Instance);
        _stores.Add(store);
        return store;
    }

    /// <summary>A DuckDB file as an earlier version of the store left it, written by <paramref name="sql"/>.</summary>
    private async Task<string> WriteOldFileAsync(string name, string sql)
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, name);
        await using var old = new DuckDBConnection(new DuckDBConnectionStringBuilder { DataSource = Path.GetFullPath(path) }.ConnectionString);
        await old.OpenAsync(Ct);
        await using var command = old.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
        return path;
    }
}
