using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// Writes hourly breakdown rows into ADX (table AdHourBreakdowns) as <see cref="KustoMinuteCountWriter"/> writes minute
/// rows, with the same <see cref="KustoIngestionOptions"/>: a write only puts the rows into this process's pending set
/// (per key the highest version wins) and returns; a background loop streams them in every commit interval, or sooner
/// when a request's worth waits. A row leaves the set only when a request holding it succeeded and no newer version came
/// meanwhile; failures are retried with backoff (a permanent refusal after <see cref="KustoIngestionOptions.PermanentErrorRetryDelay"/>).
/// Past <see cref="KustoIngestionOptions.MaxPendingRows"/> a write throws and the AdGrain keeps its rows dirty.
/// </summary>
public sealed partial class KustoHourBreakdownWriter : IHourBreakdownWriter, IAsyncDisposable
{
    // About what a row takes as JSON.
    private const int TypicalRowBytes = 330;

    private readonly KustoIngestClient _client;
    private readonly KustoIngestionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<(AdKey Key, DateTimeOffset Hour, BreakdownDimension Dimension, string Value), HourBreakdownRow> _pending = [];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort;
    private readonly Task _loop;

    public KustoHourBreakdownWriter(KustoIngestClient client, IOptions<KustoIngestionOptions> options, TimeProvider time, ILogger<KustoHourBreakdownWriter> logger)
    {
        _client = client;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Rows waiting to be ingested.</summary>
    public int PendingRows
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Puts the rows into the pending set and returns; ADX sees them after the next commit.</summary>
    /// <exception cref="KustoBacklogFullException">The pending set is full: keep the rows and offer them again later.</exception>
    public Task WriteBreakdownsAsync(IReadOnlyList<HourBreakdownRow> rows, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        int count;
        lock (_lock)
        {
            if (_pending.Count + rows.Count > _options.MaxPendingRows && _pending.Count + rows.Count(r => !_pending.ContainsKey(KeyOf(r))) > _options.MaxPendingRows)
            {
                throw new KustoBacklogFullException(
                    $"{_pending.Count} breakdown rows already wait for Azure Data Explorer (AdClicks:Kusto:MaxPendingRows is {_options.MaxPendingRows}): the grain keeps these {rows.Count} and writes them again.");
            }

            foreach (var row in rows)
            {
                var key = KeyOf(row);
                if (!_pending.TryGetValue(key, out var waiting) || row.Version >= waiting.Version)
                {
                    _pending[key] = row;
                }
            }

            count = _pending.Count;
        }

        if (count >= _options.CommitRows)
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
            long? latest = null;
            foreach (var (pending, row) in _pending)
            {
                if (pending.Key == key && (latest is null || row.Version > latest))
                {
                    latest = row.Version;
                }
            }

            return latest;
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

    private static (AdKey, DateTimeOffset, BreakdownDimension, string) KeyOf(HourBreakdownRow row) =>
        (new AdKey(row.AdId, row.Shard), MinuteBucket.Truncate(row.Hour, Granularity.Hour), row.Dimension, row.Value);

    private async Task RunAsync()
    {
        var failures = 0;
        var delay = _options.CommitInterval;
        while (!await WaitStoppedAsync(delay, wakeable: failures == 0).ConfigureAwait(false))
        {
            var failure = await TryCommitAsync().ConfigureAwait(false);
            if (_abort.IsCancellationRequested)
            {
                break;
            }

            failures = failure is null ? 0 : failures + 1;
            delay = failure switch
            {
                null => PendingRows >= _options.CommitRows ? TimeSpan.Zero : _options.CommitInterval,
                { } error when IsPermanent(error) => _options.PermanentErrorRetryDelay,
                _ => TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, _options.RetryDelay.Ticks << Math.Min(failures - 1, 20))),
            };
        }

        // Stopping: one last try, bounded by DisposeTimeout; what stays is restored by the hour's next write or a repair.
        if (PendingRows > 0 && !_abort.IsCancellationRequested)
        {
            await TryCommitAsync().ConfigureAwait(false);
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

    /// <summary>Streams every waiting row in; null when all requests succeeded, else the first failure (the rows stay).</summary>
    private async Task<Exception?> TryCommitAsync()
    {
        HourBreakdownRow[] rows;
        lock (_lock)
        {
            rows = [.. _pending.Values];
        }

        if (rows.Length == 0)
        {
            return null;
        }

        var writtenAt = _time.GetUtcNow().UtcDateTime;
        try
        {
            foreach (var (json, first, count) in KustoMultiJson.Bodies(rows, _options.MaxRequestBytes, TypicalRowBytes, "breakdown row", (w, row) => Write(w, row, writtenAt)))
            {
                await _client.StreamMultiJsonAsync(_client.Connection.Database, KustoBreakdownTable.Name, KustoBreakdownTable.JsonMapping, json, _abort.Token).ConfigureAwait(false);
                Ingested(new ArraySegment<HourBreakdownRow>(rows, first, count));
            }
        }
        catch (Exception exception)
        {
            if (IsPermanent(exception))
            {
                LogPermanentFailure(_logger, exception, PendingRows, _options.PermanentErrorRetryDelay);
            }
            else
            {
                LogTransientFailure(_logger, exception, PendingRows);
            }

            return exception;
        }

        LogCommitted(_logger, rows.Length);
        return null;
    }

    private void Ingested(IEnumerable<HourBreakdownRow> rows)
    {
        lock (_lock)
        {
            foreach (var row in rows)
            {
                // A newer version written while the request was in flight is not in ADX yet: it stays.
                if (_pending.TryGetValue(KeyOf(row), out var waiting) && waiting.Version == row.Version)
                {
                    _pending.Remove(KeyOf(row));
                }
            }
        }
    }

    private static void Write(Utf8JsonWriter json, HourBreakdownRow row, DateTime writtenAt)
    {
        json.WriteStartObject();
        json.WriteString("AdId", row.AdId);
        json.WriteNumber("Shard", row.Shard);
        json.WriteString("CampaignId", row.CampaignId);
        json.WriteString("AdvertiserId", row.AdvertiserId);
        json.WriteString("Hour", MinuteBucket.Truncate(row.Hour, Granularity.Hour).UtcDateTime);
        json.WriteString("Dimension", row.Dimension.ApiName());
        json.WriteString("Value", row.Value);
        json.WriteNumber("Clicks", row.Clicks);
        json.WriteNumber("Impressions", row.Impressions);
        json.WriteNumber("Version", row.Version);
        json.WriteString("WrittenAt", writtenAt);
        json.WriteEndObject();
    }

    private static bool IsPermanent(Exception exception) => exception is KustoException { IsPermanent: true }
        or KustoException { StatusCode: >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError and not HttpStatusCode.TooManyRequests }
        or ArgumentException;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ingested {RowCount} hourly breakdown rows into Azure Data Explorer")]
    private static partial void LogCommitted(ILogger logger, int rowCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingesting hourly breakdown rows into Azure Data Explorer failed; {PendingRows} rows stay pending and are retried with backoff")]
    private static partial void LogTransientFailure(ILogger logger, Exception exception, int pendingRows);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Azure Data Explorer refused hourly breakdown rows permanently (check that infra/kusto/schema.kql is applied); {PendingRows} rows stay pending and are retried every {RetryDelay}")]
    private static partial void LogPermanentFailure(ILogger logger, Exception exception, int pendingRows, TimeSpan retryDelay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping left {PendingRows} hourly breakdown rows not ingested into Azure Data Explorer")]
    private static partial void LogLeftPending(ILogger logger, int pendingRows);
}
