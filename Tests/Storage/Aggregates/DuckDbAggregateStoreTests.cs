using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;

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

    private static Task<IReadOnlyList<BucketCount>> MinuteSeries(IAggregateQueries store, Guid ad) =>
        store.QuerySeriesAsync(SeriesScope.Ad(ad), T0.AddDays(-1), T0.AddDays(1), Granularity.Minute, Ct);

    private DuckDbAggregateStore Open(string? path = null)
    {
        var store = DuckDbAggregateStore.Open(path ?? StorePath, NullLogger<DuckDbAggregateStore>.Instance);
        _stores.Add(store);
        return store;
    }
}
