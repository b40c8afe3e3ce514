using System.Diagnostics;
using System.Threading.Channels;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// The one writer of an aggregate file: concurrent writes queue here and are committed together, one
/// transaction per group, because a DuckDB commit costs far more than the rows in it. A commit starts at most once
/// per commit interval: under load the grains' flushes arrive all the time, and committing each as it came made
/// dozens of small commits a second that kept a core busy (see docs/benchmarks.md).
/// </summary>
internal sealed partial class DuckDbMinuteCountWriter : IMinuteCountWriter, IAsyncDisposable
{
    // A backlog is drained in commits of about this size, so one transaction never grows without bound.
    private const int MaxRowsPerCommit = 100_000;

    // Temporary tables belong to one connection, which here is the writer's alone.
    private const string StagingSql = "CREATE TEMP TABLE minute_counts_staging AS FROM minute_counts LIMIT 0";

    // A key staged twice in one statement silently keeps whichever row came first (DuckDB 1.5), so only
    // its highest version is merged. Each ad shard's highest version goes to latest_versions in the same
    // transaction (see DuckDbAggregateDatabase).
    private const string MergeSql = """
        INSERT INTO minute_counts
        SELECT * FROM minute_counts_staging
        QUALIFY row_number() OVER (PARTITION BY ad_id, shard, minute ORDER BY version DESC) = 1
        ON CONFLICT (ad_id, shard, minute) DO UPDATE SET
            campaign_id = excluded.campaign_id,
            advertiser_id = excluded.advertiser_id,
            clicks = excluded.clicks,
            impressions = excluded.impressions,
            version = excluded.version,
            invalid_expired_token = excluded.invalid_expired_token,
            invalid_known_crawler = excluded.invalid_known_crawler,
            invalid_too_early = excluded.invalid_too_early,
            invalid_address_flood = excluded.invalid_address_flood,
            invalid_campaign_flood = excluded.invalid_campaign_flood
        WHERE excluded.version >= minute_counts.version;
        INSERT INTO latest_versions
        SELECT CAST(ad_id AS VARCHAR) || '/' || shard, max(version) FROM minute_counts_staging GROUP BY ALL
        ON CONFLICT (ad_shard) DO UPDATE SET version = greatest(latest_versions.version, excluded.version);
        """;

    // After the merge: every (ad, shard, hour) staged is recomputed from minute_counts, so hour_counts is its
    // minutes' sum whichever versions won. $from and $to (the staged rows' hours) are constants, so DuckDB's zone
    // maps skip the row groups of other hours instead of scanning the whole table.
    private const string RollupSql = """
        INSERT INTO hour_counts
        SELECT m.ad_id, m.shard, date_trunc('hour', m.minute) AS hour, any_value(m.campaign_id), any_value(m.advertiser_id), sum(m.clicks), sum(m.impressions),
            sum(m.invalid_expired_token), sum(m.invalid_known_crawler), sum(m.invalid_too_early), sum(m.invalid_address_flood), sum(m.invalid_campaign_flood)
        FROM minute_counts m
        SEMI JOIN (SELECT DISTINCT ad_id, shard, date_trunc('hour', minute) AS hour FROM minute_counts_staging) touched
            ON m.ad_id = touched.ad_id AND m.shard = touched.shard AND date_trunc('hour', m.minute) = touched.hour
        WHERE m.minute >= $from AND m.minute < $to
        GROUP BY m.ad_id, m.shard, hour
        ON CONFLICT (ad_id, shard, hour) DO UPDATE SET
            campaign_id = excluded.campaign_id,
            advertiser_id = excluded.advertiser_id,
            clicks = excluded.clicks,
            impressions = excluded.impressions,
            invalid_expired_token = excluded.invalid_expired_token,
            invalid_known_crawler = excluded.invalid_known_crawler,
            invalid_too_early = excluded.invalid_too_early,
            invalid_address_flood = excluded.invalid_address_flood,
            invalid_campaign_flood = excluded.invalid_campaign_flood
        """;

    private const string ClearStagingSql = "DELETE FROM minute_counts_staging";

    private readonly DuckDBConnection _connection;
    private readonly TimeSpan _commitInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <summary>Takes ownership of <paramref name="connection"/>, which must see the minute_counts table.</summary>
    public DuckDbMinuteCountWriter(DuckDBConnection connection, TimeSpan commitInterval, TimeProvider time, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(commitInterval, TimeSpan.Zero);
        _connection = connection;
        _commitInterval = commitInterval;
        _time = time;
        _logger = logger;
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = StagingSql;
            command.ExecuteNonQuery();
            command.CommandText = BreakdownStagingSql;
            command.ExecuteNonQuery();
        }

        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes when the rows are committed, or faults with the commit's exception.</summary>
    public Task WriteAsync(IReadOnlyList<MinuteCountRow> rows, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        // A copy, so a caller that reuses its list cannot change rows waiting here. Cancelling ends the
        // wait, not a queued write; rows are absolute, so a retry after it is harmless.
        return Enqueue([.. rows]).WaitAsync(cancellationToken);
    }

    /// <summary>Completes when every write queued before it is committed (or has failed).</summary>
    public Task FlushAsync() => Enqueue([]);

    /// <summary>Commits what is queued without waiting out the commit interval, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _closing.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
    }

    private Task Enqueue(MinuteCountRow[] rows)
    {
        // Continuations must not run on the writer loop, or one caller could stall every other commit.
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writes.Writer.TryWrite(new PendingWrite(rows, committed)))
        {
            throw new ObjectDisposedException(nameof(DuckDbAggregateStore));
        }

        return committed.Task;
    }

    private async Task RunAsync()
    {
        var group = new List<PendingWrite>();
        long? lastCommitStarted = null;
        var backlog = false;
        while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // A write after a quiet spell commits at once; one soon after a commit waits for the writes behind it,
            // unless they are a backlog of more than one commit.
            if (!backlog && lastCommitStarted is { } last && _commitInterval - _time.GetElapsedTime(last) is var wait && wait > TimeSpan.Zero)
            {
                // Closing cuts the wait short: what is queued is committed at once.
                await Task.Delay(wait, _time, _closing.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            lastCommitStarted = _time.GetTimestamp();
            var rowCount = 0;
            while (rowCount < MaxRowsPerCommit && _writes.Reader.TryRead(out var write))
            {
                group.Add(write);
                rowCount += write.Rows.Length + (write.Breakdowns?.Length ?? 0);
            }

            backlog = rowCount >= MaxRowsPerCommit;

            try
            {
                if (rowCount > 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    Commit(group);
                    LogCommitted(_logger, rowCount, group.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                foreach (var write in group)
                {
                    write.Committed.TrySetResult();
                }
            }
            catch (Exception exception)
            {
                LogCommitFailed(_logger, exception, rowCount, group.Count);
                foreach (var write in group)
                {
                    write.Committed.TrySetException(exception);
                }
            }

            group.Clear();
        }
    }

    private void Commit(List<PendingWrite> group)
    {
        // Staging and merging in one transaction: a failure rolls both back and leaves staging empty.
        using var transaction = _connection.BeginTransaction();
        MergeBreakdowns(group);
        if (group.All(write => write.Rows.Length == 0))
        {
            transaction.Commit();
            return;
        }

        var (firstMinute, lastMinute) = (DateTimeOffset.MaxValue, DateTimeOffset.MinValue);
        using (var appender = _connection.CreateAppender("minute_counts_staging"))
        {
            foreach (var write in group)
            {
                foreach (var row in write.Rows)
                {
                    var minute = MinuteBucket.Of(row.Minute);
                    (firstMinute, lastMinute) = (minute < firstMinute ? minute : firstMinute, minute > lastMinute ? minute : lastMinute);
                    appender.CreateRow()
                        .AppendValue(row.AdId)
                        .AppendValue(row.Shard)
                        .AppendValue(minute.UtcDateTime)
                        .AppendValue(row.CampaignId)
                        .AppendValue(row.AdvertiserId)
                        .AppendValue(row.Clicks)
                        .AppendValue(row.Impressions)
                        .AppendValue(row.Version)
                        .AppendValue(row.InvalidClicks.ExpiredToken)
                        .AppendValue(row.InvalidClicks.KnownCrawler)
                        .AppendValue(row.InvalidClicks.TooEarly)
                        .AppendValue(row.InvalidClicks.AddressFlood)
                        .AppendValue(row.InvalidClicks.CampaignFlood)
                        .EndRow();
                }
            }
        }

        using (var merge = _connection.CreateCommand())
        {
            merge.CommandText = MergeSql;
            merge.ExecuteNonQuery();
        }

        using (var rollup = _connection.CreateCommand())
        {
            rollup.CommandText = RollupSql;
            rollup.Parameters.Add(new DuckDBParameter("from", MinuteBucket.Truncate(firstMinute, Granularity.Hour).UtcDateTime));
            rollup.Parameters.Add(new DuckDBParameter("to", MinuteBucket.Truncate(lastMinute, Granularity.Hour).AddHours(1).UtcDateTime));
            rollup.ExecuteNonQuery();
            rollup.Parameters.Clear();
            rollup.CommandText = ClearStagingSql;
            rollup.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Committed {RowCount} minute counts from {WriteCount} writes in {ElapsedMs:F1} ms")]
    private static partial void LogCommitted(ILogger logger, int rowCount, int writeCount, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Committing {RowCount} minute counts from {WriteCount} writes failed")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int rowCount, int writeCount);

    private sealed record PendingWrite(MinuteCountRow[] Rows, TaskCompletionSource Committed, HourBreakdownRow[]? Breakdowns = null);
}
