using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// Writes minute rows into ADX without making an AdGrain's flush wait for it: a write only puts the rows into this
/// process's pending set (per ad, shard and minute the highest version wins) and returns. A background loop
/// group-commits across grains every <see cref="KustoIngestionOptions.CommitInterval"/>, or sooner when a request's
/// worth waits, by streaming ingestion in requests of at most <see cref="KustoIngestionOptions.MaxRequestBytes"/>.
/// A row leaves the pending set only when a request holding it succeeded and no newer version came meanwhile; a
/// failed request's rows stay and are retried with backoff. Rows are absolute and versioned, so one ingested twice
/// (an answer lost after the service stored it) is discarded by <c>arg_max(Version, *)</c>. Past
/// <see cref="KustoIngestionOptions.MaxPendingRows"/> a write throws: the AdGrain keeps its rows dirty and offers
/// them again, so the backlog stays in the grains instead of growing here.
/// </summary>
public sealed partial class KustoMinuteCountWriter : IMinuteCountWriter, IAsyncDisposable
{
    private readonly KustoIngestClient _client;
    private readonly KustoIngestionOptions _options;
    private readonly KustoIngestionMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<AdKey, Dictionary<DateTimeOffset, PendingRow>> _pending = [];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort;
    private readonly Task _loop;
    private int _count;

    public KustoMinuteCountWriter(KustoIngestClient client, IOptions<KustoIngestionOptions> options, KustoIngestionMetrics metrics, TimeProvider time, ILogger<KustoMinuteCountWriter> logger)
    {
        _client = client;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _metrics.ObservePending(() => PendingRows, () => OldestPendingAge().TotalSeconds);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Rows waiting to be ingested.</summary>
    public int PendingRows => Volatile.Read(ref _count);

    /// <summary>Puts the rows into the pending set and returns; ADX sees them after the next commit.</summary>
    /// <exception cref="InvalidOperationException">The pending set is full: keep the rows and offer them again later.</exception>
    public Task WriteAsync(IReadOnlyList<MinuteCountRow> rows, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        bool full;
        lock (_lock)
        {
            if (_count + rows.Count > _options.MaxPendingRows && _count + NewKeys(rows) > _options.MaxPendingRows)
            {
                _metrics.Refused(rows.Count);
                throw new InvalidOperationException(
                    $"{_count} minute rows already wait for Azure Data Explorer (AdClicks:Kusto:MaxPendingRows is {_options.MaxPendingRows}): the grain keeps these {rows.Count} and writes them again.");
            }

            var now = _time.GetUtcNow();
            foreach (var row in rows)
            {
                var key = new AdKey(row.AdId, row.Shard);
                if (!_pending.TryGetValue(key, out var minutes))
                {
                    _pending[key] = minutes = [];
                }

                var minute = MinuteBucket.Of(row.Minute);
                if (minutes.TryGetValue(minute, out var waiting))
                {
                    // Only a newer version replaces a waiting row; the oldest change keeps its age.
                    if (row.Version >= waiting.Row.Version)
                    {
                        minutes[minute] = waiting with { Row = row };
                    }
                }
                else
                {
                    minutes[minute] = new PendingRow(row, now);
                    _count++;
                }
            }

            full = _count >= _options.CommitRows;
        }

        if (full)
        {
            _wake.Writer.TryWrite(true);
        }

        return Task.CompletedTask;
    }

    /// <summary>The highest version of <paramref name="key"/>'s rows that wait here, null when none does: ADX does not know it yet.</summary>
    public long? PendingLatestVersion(AdKey key)
    {
        lock (_lock)
        {
            return _pending.TryGetValue(key, out var minutes) ? minutes.Values.Max(p => p.Row.Version) : null;
        }
    }

    /// <summary>Stops the loop, then tries one last commit of what waits, for at most <see cref="KustoIngestionOptions.DisposeTimeout"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _abort.CancelAfter(_options.DisposeTimeout);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _abort.Dispose();
    }

    private int NewKeys(IReadOnlyList<MinuteCountRow> rows) => rows
        .Select(r => (new AdKey(r.AdId, r.Shard), MinuteBucket.Of(r.Minute)))
        .Distinct()
        .Count(k => !_pending.TryGetValue(k.Item1, out var minutes) || !minutes.ContainsKey(k.Item2));

    private TimeSpan OldestPendingAge()
    {
        DateTimeOffset? oldest = null;
        lock (_lock)
        {
            foreach (var minutes in _pending.Values)
            {
                foreach (var waiting in minutes.Values)
                {
                    if (oldest is null || waiting.Since < oldest)
                    {
                        oldest = waiting.Since;
                    }
                }
            }
        }

        return oldest is { } since ? _time.GetUtcNow() - since : TimeSpan.Zero;
    }

    private async Task RunAsync()
    {
        var transientFailures = 0;
        var delay = _options.CommitInterval;
        var backingOff = false;
        while (!await WaitStoppedAsync(delay, wakeable: !backingOff).ConfigureAwait(false))
        {
            switch (await CommitAsync().ConfigureAwait(false))
            {
                case Outcome.Done:
                    transientFailures = 0;
                    backingOff = false;
                    // A backlog larger than a commit's worth goes out at once rather than a request's worth per interval.
                    delay = PendingRows >= _options.CommitRows ? TimeSpan.Zero : _options.CommitInterval;
                    break;
                case Outcome.Transient:
                    transientFailures++;
                    backingOff = true;
                    delay = TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, _options.RetryDelay.Ticks << Math.Min(transientFailures - 1, 20)));
                    break;
                case Outcome.Permanent:
                    backingOff = true;
                    delay = _options.PermanentErrorRetryDelay;
                    break;
                default:
                    LogLeftPending(_logger, PendingRows);
                    return;
            }
        }

        // Stopping: one last try, bounded by DisposeTimeout. What it cannot ingest was already taken from the
        // grains' dirty rows, so reconciliation (or the ad's next write of that minute) is what restores it.
        if (PendingRows > 0)
        {
            await CommitAsync().ConfigureAwait(false);
        }

        if (PendingRows > 0)
        {
            LogLeftPending(_logger, PendingRows);
        }
    }

    private async Task<bool> WaitStoppedAsync(TimeSpan delay, bool wakeable)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var timer = Task.Delay(delay, _time, wait.Token);
        await (wakeable ? Task.WhenAny(timer, _wake.Reader.WaitToReadAsync(wait.Token).AsTask()) : Task.WhenAny(timer)).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        _wake.Reader.TryRead(out _);
        return _stop.IsCancellationRequested;
    }

    private async Task<Outcome> CommitAsync()
    {
        MinuteCountRow[] rows;
        lock (_lock)
        {
            rows = [.. _pending.Values.SelectMany(minutes => minutes.Values).Select(p => p.Row)];
        }

        if (rows.Length == 0)
        {
            return Outcome.Done;
        }

        Exception? failure = null;
        var batches = KustoMinuteCountSerializer.Batches(rows, _time.GetUtcNow(), _options.MaxRequestBytes);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentRequests, CancellationToken = _abort.Token };
        try
        {
            await Parallel.ForEachAsync(batches, parallel, async (batch, ct) =>
            {
                // After one failure the others would most likely fail alike: leave them for the retry.
                if (Volatile.Read(ref failure) is not null)
                {
                    return;
                }

                try
                {
                    await _client.StreamMultiJsonAsync(_client.Connection.Database, KustoAggregateTable.Name, KustoAggregateTable.JsonMapping, batch.Json, ct).ConfigureAwait(false);
                }
                catch (Exception exception) when (!ct.IsCancellationRequested)
                {
                    _metrics.Request(IsPermanent(exception) ? "permanent" : "transient", batch.Rows.Count);
                    Interlocked.CompareExchange(ref failure, exception, null);
                    return;
                }

                _metrics.Request("ok", batch.Rows.Count);
                Ingested(batch.Rows);
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return Outcome.Aborted;
        }

        if (failure is null)
        {
            LogCommitted(_logger, rows.Length);
            return Outcome.Done;
        }

        if (IsPermanent(failure))
        {
            _metrics.Failure("permanent");
            LogPermanentFailure(_logger, failure, PendingRows, _options.PermanentErrorRetryDelay);
            return Outcome.Permanent;
        }

        _metrics.Failure("transient");
        LogTransientFailure(_logger, failure, PendingRows);
        return Outcome.Transient;
    }

    private void Ingested(IReadOnlyList<MinuteCountRow> rows)
    {
        lock (_lock)
        {
            foreach (var row in rows)
            {
                var key = new AdKey(row.AdId, row.Shard);
                var minute = MinuteBucket.Of(row.Minute);
                // A newer version written while the request was in flight is not in ADX yet: it stays.
                if (_pending.TryGetValue(key, out var minutes) && minutes.TryGetValue(minute, out var waiting) && waiting.Row.Version == row.Version)
                {
                    minutes.Remove(minute);
                    _count--;
                    if (minutes.Count == 0)
                    {
                        _pending.Remove(key);
                    }
                }
            }
        }
    }

    // The service says so, or a 4xx other than throttling: the same request cannot succeed until someone fixes the schema.
    private static bool IsPermanent(Exception exception) => exception is KustoException { IsPermanent: true }
        or KustoException { StatusCode: >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError and not HttpStatusCode.TooManyRequests }
        or ArgumentException;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ingested {RowCount} minute rows into Azure Data Explorer")]
    private static partial void LogCommitted(ILogger logger, int rowCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingesting minute rows into Azure Data Explorer failed; {PendingRows} rows stay pending and are retried with backoff")]
    private static partial void LogTransientFailure(ILogger logger, Exception exception, int pendingRows);

    // Loud and still retrying: these rows exist nowhere else until reconciliation recounts their hour, so
    // dropping them would lose counts, and a fixed mapping or table lets the next attempt succeed.
    [LoggerMessage(Level = LogLevel.Critical, Message = "Azure Data Explorer refused minute rows permanently (check that infra/kusto/schema.kql is applied); {PendingRows} rows stay pending and are retried every {RetryDelay}")]
    private static partial void LogPermanentFailure(ILogger logger, Exception exception, int pendingRows, TimeSpan retryDelay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping left {PendingRows} minute rows not ingested into Azure Data Explorer; the hourly reconciliation rewrites them")]
    private static partial void LogLeftPending(ILogger logger, int pendingRows);

    private enum Outcome
    {
        Done,
        Transient,
        Permanent,
        Aborted,
    }

    private readonly record struct PendingRow(MinuteCountRow Row, DateTimeOffset Since);
}
