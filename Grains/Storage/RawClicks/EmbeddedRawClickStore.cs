using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// The raw click store of the embedded profile: append-only segment files plus an in-memory registry and
/// tallies rebuilt from them in the background after open. Appends are group-committed by one writer loop,
/// so callers take no locks and many events share one disk flush.
/// </summary>
public sealed class EmbeddedRawClickStore : IRawClickStore, IAsyncDisposable, IDisposable
{
    /// <summary>How long after its token expired an impression id is remembered, when not told otherwise.</summary>
    public static readonly TimeSpan DefaultForgetAfterExpiry = TimeSpan.FromDays(1);

    // Silos in one process share a data directory, so they must share the one writer of its files.
    private static readonly Dictionary<string, EmbeddedRawClickStore> Shared = new(StringComparer.Ordinal);
    private static readonly Lock SharedLock = new();

    private readonly string _directory;
    private readonly RawClickWriter _writer;
    private readonly ILogger<EmbeddedRawClickStore> _logger;
    private int _references;

    private EmbeddedRawClickStore(string directory, RawClickWriter writer, ILogger<EmbeddedRawClickStore> logger)
    {
        _directory = directory;
        _writer = writer;
        _logger = logger;
    }

    /// <summary>How long raw events are kept for counting when not told otherwise: the Azure store's default.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(90);

    /// <summary>How many (kind, impression id) pairs the dedup registry holds, as of the last request answered.</summary>
    internal int RegisteredIds => _writer.RegisteredIds;

    /// <summary>Ad shards with tallies and hour index entries held in memory, as of the last request answered.</summary>
    internal (int AdShards, int Hours) Held => _writer.Held;

    /// <summary>
    /// Completes when the segments are replayed (the registry and tallies are whole) and requests are answered;
    /// faults when replay failed. Until then requests wait, and the readiness check says not ready.
    /// </summary>
    public Task Loaded => _writer.Loaded;

    /// <summary>
    /// Opens the store whose files are in <paramref name="directory"/>, or shares the instance this process
    /// already has open there. Replay runs in the background (see <see cref="Loaded"/>). Each call must be
    /// matched by one dispose; the last one flushes and closes.
    /// </summary>
    /// <param name="retention">How long per-minute tallies and the hour index are kept, by event time; only the first open of a directory sets it.</param>
    /// <param name="metrics">Where skipped (damaged or torn) bytes are counted.</param>
    /// <param name="forgetAfterExpiry">How long after its token expired an id is remembered; only the first open of a directory sets it.</param>
    /// <exception cref="IOException">Another process has the directory open.</exception>
    public static EmbeddedRawClickStore Open(
        string directory,
        TimeSpan retention,
        TimeProvider timeProvider,
        ILogger<EmbeddedRawClickStore> logger,
        RawClickMetrics? metrics = null,
        TimeSpan? forgetAfterExpiry = null) =>
        Open(directory, retention, timeProvider, logger, metrics, forgetAfterExpiry, replayGate: null);

    /// <inheritdoc cref="Open(string, TimeSpan, TimeProvider, ILogger{EmbeddedRawClickStore}, RawClickMetrics?, TimeSpan?)" />
    /// <param name="replayGate">Replay begins when it completes: lets tests watch a store that is still loading.</param>
    internal static EmbeddedRawClickStore Open(
        string directory,
        TimeSpan retention,
        TimeProvider timeProvider,
        ILogger<EmbeddedRawClickStore> logger,
        RawClickMetrics? metrics,
        TimeSpan? forgetAfterExpiry,
        Task? replayGate)
    {
        if (retention <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(retention), retention, "The raw click retention must be positive.");
        }

        var fullPath = Path.GetFullPath(directory);
        lock (SharedLock)
        {
            if (!Shared.TryGetValue(fullPath, out var store))
            {
                var writer = new RawClickWriter(fullPath, retention, timeProvider, logger, metrics, forgetAfterExpiry ?? DefaultForgetAfterExpiry, replayGate);
                store = new EmbeddedRawClickStore(fullPath, writer, logger);
                Shared.Add(fullPath, store);
            }

            store._references++;
            return store;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AdEvent>> AppendNewAsync(AdKey key, IReadOnlyList<AdEvent> events, CancellationToken cancellationToken = default)
    {
        foreach (var e in events)
        {
            if (e.AdId != key.AdId)
            {
                throw new ArgumentException($"Event {e.ImpressionId} belongs to ad {e.AdId:N}, not to {key}.", nameof(events));
            }
        }

        return _writer.AppendNewAsync(key, events, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MinuteTally>> CountAsync(AdKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _writer.CountAsync(key, from, to, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AdKey>> ListActiveAdsAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken = default)
    {
        MinuteBucket.ThrowIfNotHourStart(hour);
        AdSlice.ThrowIfOutOfRange(slice);
        return _writer.ListActiveAdsAsync(hour, slice, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BreakdownTally>> CountBreakdownsAsync(AdKey key, DateTimeOffset fromHour, DateTimeOffset toHour, CancellationToken cancellationToken = default)
    {
        MinuteBucket.ThrowIfNotHourStart(fromHour);
        MinuteBucket.ThrowIfNotHourStart(toHour);
        return _writer.CountBreakdownsAsync(key, fromHour, toHour, cancellationToken);
    }

    /// <summary>Releases this reference; the last one answers what is queued, then closes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Release())
        {
            return;
        }

        await _writer.DisposeAsync();
        _logger.LogInformation("Raw click store in {Directory} closed", _directory);
    }

    /// <inheritdoc cref="DisposeAsync" />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private bool Release()
    {
        lock (SharedLock)
        {
            if (_references == 0 || --_references > 0)
            {
                return false;
            }

            Shared.Remove(_directory);
            return true;
        }
    }
}
