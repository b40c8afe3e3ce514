using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// The embedded aggregate store: minute counts in a DuckDB file, written in batches and queried in the
/// process that opened it. Stores opened on one file in one process (the silos of a TestCluster, the
/// co-hosted Api) share one database and one writer, and see each other's writes.
/// </summary>
public sealed class DuckDbAggregateStore : IMinuteCountWriter, IAggregateQueries, IAsyncDisposable
{
    // The scope names an ad or a campaign and the other parameter is NULL, so one of the two terms matches.
    private const string SeriesSql = """
        SELECT date_trunc($granularity, minute) AS bucket, sum(clicks)::BIGINT, sum(impressions)::BIGINT
        FROM minute_counts
        WHERE (ad_id = $adId OR campaign_id = $campaignId) AND minute >= $from AND minute < $to
        GROUP BY bucket
        ORDER BY bucket
        """;

    private const string TopAdsSql = """
        SELECT ad_id, campaign_id, sum(clicks)::BIGINT AS clicks, sum(impressions)::BIGINT AS impressions
        FROM minute_counts
        WHERE minute >= $from AND minute < $to
            AND ($campaignId IS NULL OR campaign_id = $campaignId)
            AND ($advertiserId IS NULL OR advertiser_id = $advertiserId)
        GROUP BY ad_id, campaign_id
        ORDER BY clicks DESC, impressions DESC, ad_id
        LIMIT $limit
        """;

    private const string HourSql = """
        SELECT ad_id, shard, campaign_id, advertiser_id, minute, clicks, impressions, version
        FROM minute_counts
        WHERE minute >= $from AND minute < $to AND starts_with(CAST(ad_id AS VARCHAR), $slice)
        ORDER BY ad_id, shard, minute
        """;

    // A point lookup of latest_versions' one-column key: an index scan, not a scan of minute_counts.
    internal const string LatestVersionSql = "SELECT version FROM latest_versions WHERE ad_shard = $key";

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
    public Task<IReadOnlyList<BucketCount>> QuerySeriesAsync(SeriesScope scope, DateTimeOffset from, DateTimeOffset to, Granularity granularity, CancellationToken cancellationToken = default)
    {
        if (scope.AdId is null == scope.CampaignId is null)
        {
            throw new ArgumentException("A series scope names either an ad or a campaign.", nameof(scope));
        }

        var part = granularity switch
        {
            Granularity.Minute => "minute",
            Granularity.Hour => "hour",
            Granularity.Day => "day",
            _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, null),
        };

        return QueryAsync<BucketCount>(SeriesSql, [
            new("granularity", part),
            new("adId", scope.AdId),
            new("campaignId", scope.CampaignId),
            new("from", from.UtcDateTime),
            new("to", to.UtcDateTime),
        ], reader => new BucketCount(AsUtc(reader.GetDateTime(0)), reader.GetInt64(1), reader.GetInt64(2)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AdTotal>> QueryTopAdsAsync(TopAdsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        return QueryAsync<AdTotal>(TopAdsSql, [
            new("from", query.From.UtcDateTime),
            new("to", query.To.UtcDateTime),
            new("campaignId", query.CampaignId),
            new("advertiserId", query.AdvertiserId),
            new("limit", query.Limit),
        ], reader => new AdTotal(reader.GetGuid(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetInt64(3)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MinuteCountRow>> ReadHourAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken = default)
    {
        MinuteBucket.ThrowIfNotHourStart(hour);
        return QueryAsync<MinuteCountRow>(HourSql, [
            new("from", hour.UtcDateTime),
            new("to", hour.AddHours(1).UtcDateTime),
            new("slice", AdSlice.Prefix(slice)),
        ], reader => new MinuteCountRow(
            reader.GetGuid(0), reader.GetInt32(1), reader.GetGuid(2), reader.GetGuid(3), AsUtc(reader.GetDateTime(4)),
            reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7)), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long?> ReadLatestVersionAsync(AdKey key, CancellationToken cancellationToken = default)
    {
        var versions = await QueryAsync<long?>(LatestVersionSql, [
            new("key", DuckDbAggregateDatabase.LatestVersionKey(key)),
        ], reader => reader.GetInt64(0), cancellationToken).ConfigureAwait(false);
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

    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, DuckDBParameter[] parameters, Func<DuckDBDataReader, T> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);

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
