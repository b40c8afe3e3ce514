using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// Writes versioned rows into one ADX table without making an AdGrain's flush wait for it: a write only puts the rows
/// into this process's pending set (per ad shard and position the highest version wins) and returns. A background loop
/// group-commits across grains every <see cref="KustoIngestionOptions.CommitInterval"/>, or sooner when a request's
/// worth waits, by streaming ingestion in requests of at most <see cref="KustoIngestionOptions.MaxRequestBytes"/>.
/// A row leaves the pending set only when a request holding it succeeded and no newer version came meanwhile; a
/// failed request's rows stay and are retried with backoff. Rows are absolute and versioned, so one ingested twice
/// (an answer lost after the service stored it) is discarded by <c>arg_max(Version, *)</c>. Past
/// <see cref="KustoIngestionOptions.MaxPendingRows"/> a write throws: the AdGrain keeps its rows dirty and offers
/// them again, so the backlog stays in the grains instead of growing here.
/// </summary>
/// <typeparam name="TRow">The row.</typeparam>
/// <typeparam name="TPosition">What, beside its ad shard, tells a row from the shard's others.</typeparam>
public abstract partial class KustoRowWriter<TRow, TPosition> : IAsyncDisposable
    where TPosition : notnull
{
    private readonly KustoIngestClient _client;
    private readonly KustoIngestionOptions _options;
    private readonly KustoIngestionMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly KustoRowFormat<TRow, TPosition> _format;
    private readonly KustoPendingRows<TRow, TPosition> _pending;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort;
    private readonly Task _loop;

    private protected KustoRowWriter(
        KustoRowFormat<TRow, TPosition> format, KustoIngestClient client, IOptions<KustoIngestionOptions> options, KustoIngestionMetrics metrics, TimeProvider time, ILogger logger)
    {
        _format = format;
        _client = client;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        if (_options.MaxRequestBytes is < 1_024 or > KustoIngestClient.MaxRequestBytes || _options.MaxPendingRows < 1 || _options.CommitRows < 1
            || _options.MaxConcurrentRequests < 1 || _options.CommitInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options),
                $"{KustoIngestionOptions.SectionName}: MaxRequestBytes must be 1024 to {KustoIngestClient.MaxRequestBytes}, CommitInterval positive, and MaxPendingRows, CommitRows and MaxConcurrentRequests at least 1.");
        }

        _pending = new KustoPendingRows<TRow, TPosition>(format, _options.MaxPendingRows);
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _metrics.ObservePending(format.Table, () => PendingRows, () => _pending.OldestSince() is { } since ? (_time.GetUtcNow() - since).TotalSeconds : 0);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Rows waiting to be ingested.</summary>
    public int PendingRows => _pending.Count;

    /// <summary>Puts the rows into the pending set and returns; ADX sees them after the next commit.</summary>
    /// <exception cref="KustoBacklogFullException">The pending set is full: keep the rows and offer them again later.</exception>
    private protected Task WriteRowsAsync(IReadOnlyList<TRow> rows, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        if (!_pending.TryAdd(rows, _time.GetUtcNow(), out var count))
        {
            _metrics.Refused(_format.Table, rows.Count);
            throw new KustoBacklogFullException(
                $"{count} {_format.RowName}s already wait for Azure Data Explorer (AdClicks:Kusto:MaxPendingRows is {_options.MaxPendingRows}): the grain keeps these {rows.Count} and writes them again.");
        }

        if (count >= _options.CommitRows)
        {
            _wake.Writer.TryWrite(true);
        }

        return Task.CompletedTask;
    }

    /// <summary>The highest version of <paramref name="key"/>'s rows that wait here, null when none does: ADX does not know it yet.</summary>
    public long? PendingLatestVersion(AdKey key) => _pending.LatestVersion(key);

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

    private async Task RunAsync()
    {
        var transientFailures = 0;
        var delay = _options.CommitInterval;
        var backingOff = false;
        while (!await WaitStoppedAsync(delay, wakeable: !backingOff).ConfigureAwait(false))
        {
            switch (await TryCommitAsync().ConfigureAwait(false))
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
                    LogLeftPending(_logger, PendingRows, _format.RowName, _format.LeftPendingRemedy);
                    return;
            }
        }

        // Stopping: one last try, bounded by DisposeTimeout. What it cannot ingest was already taken from the
        // grains' dirty rows, so only a later write of the same position or a recount restores it.
        if (PendingRows > 0)
        {
            await TryCommitAsync().ConfigureAwait(false);
        }

        if (PendingRows > 0)
        {
            LogLeftPending(_logger, PendingRows, _format.RowName, _format.LeftPendingRemedy);
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

    // The loop must outlive anything a commit throws: it is the only way out for the pending rows.
    private async Task<Outcome> TryCommitAsync()
    {
        try
        {
            return await CommitAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _metrics.Failure(_format.Table, "transient");
            LogTransientFailure(_logger, exception, _format.RowName, PendingRows);
            return Outcome.Transient;
        }
    }

    private async Task<Outcome> CommitAsync()
    {
        var rows = _pending.Snapshot();
        if (rows.Length == 0)
        {
            return Outcome.Done;
        }

        Exception? failure = null;
        var batches = _format.Batches(rows, _time.GetUtcNow(), _options.MaxRequestBytes);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentRequests, CancellationToken = _abort.Token };
        try
        {
            await Parallel.ForEachAsync(batches, parallel, async (batch, ct) =>
            {
                // After throttling or a server error the others would most likely fail alike: leave them for the
                // retry. A permanent refusal may be this body's alone, so it must not hold back the others.
                if (Volatile.Read(ref failure) is { } earlier && !IsPermanent(earlier))
                {
                    return;
                }

                try
                {
                    await _client.StreamMultiJsonAsync(_client.Connection.Database, _format.Table, _format.JsonMapping, batch.Json, ct).ConfigureAwait(false);
                }
                catch (Exception exception) when (!ct.IsCancellationRequested)
                {
                    _metrics.Request(_format.Table, IsPermanent(exception) ? "permanent" : "transient", batch.Rows.Count);
                    // A transient failure wins over a permanent one: it decides the shorter wait.
                    if (Interlocked.CompareExchange(ref failure, exception, null) is { } other && IsPermanent(other) && !IsPermanent(exception))
                    {
                        Volatile.Write(ref failure, exception);
                    }

                    return;
                }

                _metrics.Request(_format.Table, "ok", batch.Rows.Count);
                _pending.Ingested(batch.Rows);
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return Outcome.Aborted;
        }

        if (failure is null)
        {
            LogCommitted(_logger, rows.Length, _format.RowName);
            return Outcome.Done;
        }

        if (IsPermanent(failure))
        {
            _metrics.Failure(_format.Table, "permanent");
            LogPermanentFailure(_logger, failure, _format.RowName, PendingRows, _options.PermanentErrorRetryDelay);
            return Outcome.Permanent;
        }

        _metrics.Failure(_format.Table, "transient");
        LogTransientFailure(_logger, failure, _format.RowName, PendingRows);
        return Outcome.Transient;
    }

    // The service says so, or a 4xx other than throttling: the same request cannot succeed until someone fixes the schema.
    private static bool IsPermanent(Exception exception) => exception is KustoException { IsPermanent: true }
        or KustoException { StatusCode: >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError and not HttpStatusCode.TooManyRequests }
        or ArgumentException;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ingested {RowCount} {RowName}s into Azure Data Explorer")]
    private static partial void LogCommitted(ILogger logger, int rowCount, string rowName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingesting {RowName}s into Azure Data Explorer failed; {PendingRows} rows stay pending and are retried with backoff")]
    private static partial void LogTransientFailure(ILogger logger, Exception exception, string rowName, int pendingRows);

    // Loud and still retrying: these rows exist nowhere else until a recount of their hour, so
    // dropping them would lose counts, and a fixed mapping or table lets the next attempt succeed.
    [LoggerMessage(Level = LogLevel.Critical, Message = "Azure Data Explorer refused {RowName}s permanently (check that infra/kusto/schema.kql is applied); {PendingRows} rows stay pending and are retried every {RetryDelay}")]
    private static partial void LogPermanentFailure(ILogger logger, Exception exception, string rowName, int pendingRows, TimeSpan retryDelay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping left {PendingRows} {RowName}s not ingested into Azure Data Explorer; {Remedy}")]
    private static partial void LogLeftPending(ILogger logger, int pendingRows, string rowName, string remedy);

    private enum Outcome
    {
        Done,
        Transient,
        Permanent,
        Aborted,
    }
}
