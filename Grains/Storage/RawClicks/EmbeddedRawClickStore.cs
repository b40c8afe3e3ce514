using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// The raw click store of the embedded profile: append-only segment files plus an in-memory registry and
/// tallies rebuilt from them at open. Appends are group-committed by one writer loop, so callers take no
/// locks and many events share one disk flush.
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

    /// <summary>How many (kind, impression id) pairs the dedup registry holds, as of the last request answered.</summary>
    internal int RegisteredIds => _writer.RegisteredIds;

    /// <summary>
    /// Opens the store whose files are in <paramref name="directory"/>, or shares the instance this process
    /// already has open there. Each call must be matched by one dispose; the last one flushes and closes.
    /// </summary>
    /// <param name="forgetAfterExpiry">How long after its token expired an id is remembered; only the first open of a directory sets it.</param>
    /// <exception cref="IOException">Another process has the directory open.</exception>
    public static EmbeddedRawClickStore Open(string directory, TimeProvider timeProvider, ILogger<EmbeddedRawClickStore> logger, TimeSpan? forgetAfterExpiry = null)
    {
        var fullPath = Path.GetFullPath(directory);
        lock (SharedLock)
        {
            if (!Shared.TryGetValue(fullPath, out var store))
            {
                var writer = new RawClickWriter(fullPath, timeProvider, logger, forgetAfterExpiry ?? DefaultForgetAfterExpiry);
                store = new EmbeddedRawClickStore(fullPath, writer, logger);
                Shared.Add(fullPath, store);
                logger.LogInformation("Raw click store opened in {Directory} with {RegisteredIds} registered ids", fullPath, writer.RegisteredIds);
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
