using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates.Queries;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// The embedded aggregate store: minute counts in a DuckDB file, written in batches and queried in the
/// process that opened it. Stores opened on one file in one process (the silos of a TestCluster, the
/// co-hosted Api) share one database and one writer, and see each other's writes.
/// </summary>
public sealed partial class DuckDbAggregateStore : IMinuteCountWriter, IAggregateQueries, IAsyncDisposable
{
    private readonly DuckDbAggregateDatabase _database;
    private int _disposed;

    private DuckDbAggregateStore(DuckDbAggregateDatabase database) => _database = database;

    /// <summary>Opens the DuckDB file at <paramref name="path"/>, creating it and its directory if needed.</summary>
    public static DuckDbAggregateStore Open(string path, ILogger<DuckDbAggregateStore> logger) =>
        new(DuckDbAggregateDatabase.Acquire(path, logger));

    /// <inheritdoc />
    public Task WriteAsync(IReadOnlyList<MinuteCountRow> rows, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _database.Writer.WriteAsync(rows, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BucketCount>> QuerySeriesAsync(AnalyticsTenant tenant, SeriesScope scope, DateTimeOffset from, DateTimeOffset to, Granularity granularity, CancellationToken cancellationToken = default) =>
        QueryAsync(AggregateQuery.Series(tenant, scope, from, to, granularity),
            reader => new BucketCount(AsUtc(reader.GetDateTime(0)), reader.GetInt64(1), reader.GetInt64(2), DuckDbInvalidClickColumns.Read(reader, 3)), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AdTotal>> QueryTopAdsAsync(AnalyticsTenant tenant, TopAdsQuery query, CancellationToken cancellationToken = default) =>
        QueryAsync(AggregateQuery.TopAds(tenant, query),
            reader => new AdTotal(reader.GetGuid(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetInt64(3), DuckDbInvalidClickColumns.Read(reader, 4)), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<MinuteCountRow>> ReadHourAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken = default) =>
        ReadRowsAsync(AggregateQuery.Hour(hour, slice), cancellationToken);

    /// <summary>The rows a query of <see cref="AggregateGrouping.Rows"/> names (the hour, or one piece of it for the oracle tests).</summary>
    internal Task<IReadOnlyList<MinuteCountRow>> ReadRowsAsync(AggregateQuery query, CancellationToken cancellationToken = default) =>
        QueryAsync(query, reader => new MinuteCountRow(
            reader.GetGuid(0), reader.GetInt32(1), reader.GetGuid(2), reader.GetGuid(3), AsUtc(reader.GetDateTime(4)),
            reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), DuckDbInvalidClickColumns.Read(reader, 8)), cancellationToken);

    /// <inheritdoc />
    public async Task<long?> ReadLatestVersionAsync(AdKey key, CancellationToken cancellationToken = default)
    {
        var versions = await QueryAsync<long?>(AggregateQuery.LatestVersion(key), reader => reader.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <summary>Commits the writes already queued, then closes the file unless another store still uses it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _database.ReleaseAsync().ConfigureAwait(false);
        }
    }

    private static DateTimeOffset AsUtc(DateTime timestamp) => new(timestamp.Ticks, TimeSpan.Zero);

    private Task<IReadOnlyList<T>> QueryAsync<T>(AggregateQuery query, Func<DuckDBDataReader, T> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var (sql, parameters) = DuckDbSqlRenderer.Render(query);

        // DuckDB.NET runs queries synchronously; off the caller's thread they do not stall a grain scheduler.
        return Task.Run<IReadOnlyList<T>>(() =>
        {
            using var connection = _database.OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddRange(parameters);
            using var reader = command.ExecuteReader();
            var results = new List<T>();
            while (reader.Read())
            {
                results.Add(read(reader));
            }

            return results;
        }, cancellationToken);
    }
}
