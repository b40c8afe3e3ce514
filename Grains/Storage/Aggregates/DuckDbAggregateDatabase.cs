using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// One aggregate file as the whole process shares it: DuckDB lets one process open a file read-write,
/// so every store on the file leases this instance, and its one writer commits all their writes.
/// </summary>
/// <remarks>
/// latest_versions holds each (ad, shard)'s highest version, kept by the writer in the transaction that
/// merges the rows, so a counting grain's activation reads one row. Its key is one column, "ad/shard"
/// (<see cref="LatestVersionKey"/>): DuckDB 1.5 serves an equality on a one-column ART key by an index
/// scan, but a prefix of minute_counts' composite key, or both columns of a composite one, by a full scan.
/// For the same reason minute_counts has a one-column index on ad_id, which DuckDB uses when the ad is a scan's only
/// filter (<see cref="Queries.DuckDbSqlRenderer"/> filters it alone first). hour_counts is the hourly rollup of
/// minute_counts, one row per (ad, shard, hour): the writer recomputes every hour it touches from minute_counts in the
/// same transaction, so it is always exactly the sum of that hour's minutes, and queries read whole hours from it.
/// Both tables end in one column per invalid-click reason (<see cref="DuckDbInvalidClickColumns"/>), versioned with the
/// row's other counts; a file written before they existed gets them at its first open here, in the same order.
/// </remarks>
internal sealed partial class DuckDbAggregateDatabase
{
    private const string SchemaSql = """
        CREATE TABLE IF NOT EXISTS minute_counts (
            ad_id UUID NOT NULL,
            shard INTEGER NOT NULL,
            minute TIMESTAMP NOT NULL,
            campaign_id UUID NOT NULL,
            advertiser_id UUID NOT NULL,
            clicks BIGINT NOT NULL,
            impressions BIGINT NOT NULL,
            version BIGINT NOT NULL,
            invalid_expired_token BIGINT NOT NULL DEFAULT 0,
            invalid_known_crawler BIGINT NOT NULL DEFAULT 0,
            invalid_too_early BIGINT NOT NULL DEFAULT 0,
            invalid_address_flood BIGINT NOT NULL DEFAULT 0,
            invalid_campaign_flood BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (ad_id, shard, minute));
        CREATE TABLE IF NOT EXISTS latest_versions (
            ad_shard VARCHAR PRIMARY KEY,
            version BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS minute_counts_by_ad ON minute_counts (ad_id);
        CREATE TABLE IF NOT EXISTS hour_counts (
            ad_id UUID NOT NULL,
            shard INTEGER NOT NULL,
            hour TIMESTAMP NOT NULL,
            campaign_id UUID NOT NULL,
            advertiser_id UUID NOT NULL,
            clicks BIGINT NOT NULL,
            impressions BIGINT NOT NULL,
            invalid_expired_token BIGINT NOT NULL DEFAULT 0,
            invalid_known_crawler BIGINT NOT NULL DEFAULT 0,
            invalid_too_early BIGINT NOT NULL DEFAULT 0,
            invalid_address_flood BIGINT NOT NULL DEFAULT 0,
            invalid_campaign_flood BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (ad_id, shard, hour));
        """;

    // A file written before latest_versions existed gets it filled once, on the first open after the upgrade.
    private const string BackfillSql = """
        INSERT INTO latest_versions
        SELECT CAST(ad_id AS VARCHAR) || '/' || shard, max(version) FROM minute_counts GROUP BY ALL
        ON CONFLICT DO NOTHING
        """;

    /// <summary>Fills hour_counts from minute_counts: once for a file written before the rollup existed.</summary>
    internal const string HourBackfillSql = """
        INSERT INTO hour_counts
        SELECT ad_id, shard, date_trunc('hour', minute) AS hour, any_value(campaign_id), any_value(advertiser_id), sum(clicks), sum(impressions),
            sum(invalid_expired_token), sum(invalid_known_crawler), sum(invalid_too_early), sum(invalid_address_flood), sum(invalid_campaign_flood)
        FROM minute_counts GROUP BY ad_id, shard, hour
        """;

    // A commit costs about 20 ms however few its rows, and a grain's flush waits for it: four a second keep the
    // writer a few percent busy under load and add at most this to the time a click takes to become queryable.
    private static readonly TimeSpan CommitInterval = TimeSpan.FromMilliseconds(250);

    // DuckDB.NET caches native databases by data source, ignoring case; the registry keys the same way.
    private static readonly Dictionary<string, DuckDbAggregateDatabase> Registry = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Lock RegistryLock = new();

    private readonly string _fullPath;
    private readonly string _connectionString;
    private readonly ILogger _logger;
    private int _leases = 1;

    private DuckDbAggregateDatabase(string fullPath, ILogger logger)
    {
        _fullPath = fullPath;
        _connectionString = new DuckDBConnectionStringBuilder { DataSource = fullPath }.ConnectionString;
        _logger = logger;

        // The writer's connection stays open as long as the database is leased, which keeps DuckDB.NET's
        // native instance alive for the short-lived query connections.
        var connection = OpenConnection();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = SchemaSql;
            command.ExecuteNonQuery();
            DuckDbInvalidClickColumns.AddMissing(connection);
            command.CommandText = BreakdownSchemaSql;
            command.ExecuteNonQuery();
            command.CommandText = "SELECT count(*) FROM latest_versions";
            if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                command.CommandText = BackfillSql;
                command.ExecuteNonQuery();
            }

            command.CommandText = "SELECT count(*) FROM hour_counts";
            if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                command.CommandText = HourBackfillSql;
                command.ExecuteNonQuery();
            }
        }

        Writer = new DuckDbMinuteCountWriter(connection, CommitInterval, TimeProvider.System, logger);
    }

    public DuckDbMinuteCountWriter Writer { get; }

    /// <summary>The latest_versions key of an ad shard, as the merge spells it: <c>CAST(ad_id AS VARCHAR) || '/' || shard</c>.</summary>
    public static string LatestVersionKey(AdKey key) => FormattableString.Invariant($"{key.AdId:D}/{key.Shard}");

    /// <summary>Leases the process-wide instance for the file, opening it if no store holds it.</summary>
    public static DuckDbAggregateDatabase Acquire(string path, ILogger logger)
    {
        // DuckDB.NET shares a native database only between identical data source strings; two spellings
        // of one path would open two instances on one file that overwrite each other.
        var fullPath = Path.GetFullPath(path);
        lock (RegistryLock)
        {
            if (Registry.TryGetValue(fullPath, out var database))
            {
                database._leases++;
                return database;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            database = new DuckDbAggregateDatabase(fullPath, logger);
            Registry.Add(fullPath, database);
            LogOpened(logger, fullPath);
            return database;
        }
    }

    /// <summary>A new connection to the shared instance; DuckDB connections are not thread-safe, so one per query.</summary>
    public DuckDBConnection OpenConnection()
    {
        var connection = new DuckDBConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Returns a lease after the writes queued so far are committed; the last lease closes the file.</summary>
    public async Task ReleaseAsync()
    {
        Task? flushed = null;
        lock (RegistryLock)
        {
            if (--_leases == 0)
            {
                Registry.Remove(_fullPath);
            }
            else
            {
                // Queued under the lock, so a last release cannot close the writer first.
                flushed = Writer.FlushAsync();
            }
        }

        if (flushed is not null)
        {
            await flushed.ConfigureAwait(false);
            return;
        }

        await Writer.DisposeAsync().ConfigureAwait(false);
        LogClosed(_logger, _fullPath);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened the DuckDB aggregate store {Path}")]
    private static partial void LogOpened(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed the DuckDB aggregate store {Path}")]
    private static partial void LogClosed(ILogger logger, string path);
}
