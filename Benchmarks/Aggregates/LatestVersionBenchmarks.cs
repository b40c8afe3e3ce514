using BenchmarkDotNet.Attributes;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Aggregates.Queries;

namespace Orleans.AdClicks.Benchmarks.Aggregates;

/// <summary>
/// What a counting grain's activation asks the DuckDB aggregate store: the latest version of its ad shard, in a
/// file of <see cref="Ads"/> ads with <see cref="MinutesPerAd"/> minute rows each. The baseline is the query the
/// store ran before latest_versions (a max over minute_counts, which DuckDB answers with a scan of the table),
/// against the store's query today (one row of latest_versions, by index scan) on the same connection, and the
/// store's whole call.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(10)]
public class LatestVersionBenchmarks
{
    private const string BeforeSql = "SELECT max(version) FROM minute_counts WHERE ad_id = $adId AND shard = $shard";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "adclicks-bench-" + Guid.NewGuid().ToString("N"));
    private DuckDbAggregateStore _store = null!;
    private DuckDBConnection _connection = null!;
    private Guid[] _ads = [];
    private int _next;

    [Params(100_000)]
    public int Ads { get; set; }

    [Params(1, 10)]
    public int MinutesPerAd { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var path = Path.Combine(_directory, "aggregates.duckdb");
        _store = DuckDbAggregateStore.Open(path, NullLogger<DuckDbAggregateStore>.Instance);
        _ads = [.. Enumerable.Range(0, Ads).Select(_ => Guid.NewGuid())];
        var minute = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var (campaign, advertiser) = (Guid.NewGuid(), Guid.NewGuid());
        await _store.WriteAsync([.. _ads.SelectMany(ad => Enumerable.Range(0, MinutesPerAd)
            .Select(m => new MinuteCountRow(ad, 0, campaign, advertiser, minute.AddMinutes(m), 1, 1, m + 1)))]);

        // The same data source string: DuckDB.NET shares the store's open database with this connection.
        _connection = new DuckDBConnection(new DuckDBConnectionStringBuilder { DataSource = Path.GetFullPath(path) }.ConnectionString);
        _connection.Open();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _connection.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public long? MaxOverMinuteCounts()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = BeforeSql;
        command.Parameters.Add(new DuckDBParameter("adId", NextAd()));
        command.Parameters.Add(new DuckDBParameter("shard", 0));
        return command.ExecuteScalar() is long version ? version : null;
    }

    [Benchmark]
    public long? LatestVersionsLookup()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = DuckDbSqlRenderer.LatestVersionSql;
        command.Parameters.Add(new DuckDBParameter("key", $"{NextAd():D}/0"));
        return command.ExecuteScalar() is long version ? version : null;
    }

    /// <summary>The lookup as a grain makes it: a connection of its own and a thread-pool hop around the query.</summary>
    [Benchmark]
    public Task<long?> ReadLatestVersionAsync() => _store.ReadLatestVersionAsync(new AdKey(NextAd(), 0));

    private Guid NextAd() => _ads[_next++ % _ads.Length];
}
