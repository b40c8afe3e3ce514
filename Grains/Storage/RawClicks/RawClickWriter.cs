using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// The single writer of one raw click directory: a loop that owns the registry, the tallies and the segment
/// files, drains every pending request, appends the new events of the whole group and flushes once for it.
/// </summary>
internal sealed class RawClickWriter : IAsyncDisposable
{
    private const int MaxRequestsPerGroup = 1024;
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly string _directory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RawClickIndex _index;
    private readonly RawClickSegmentLog _log;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new() { SingleReader = true });
    private readonly ITimer _pruneTimer;
    private readonly Task _loop;
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _registeredIds;
    private int _talliedAdShards;
    private int _indexedHours;

    /// <param name="replayGate">Completes when replay may begin; tests hold it to watch a store that is still loading.</param>
    public RawClickWriter(string directory, TimeSpan retention, TimeProvider timeProvider, ILogger logger, RawClickMetrics? metrics, TimeSpan forgetAfterExpiry, Task? replayGate = null)
    {
        _directory = directory;
        _timeProvider = timeProvider;
        _logger = logger;
        _index = new RawClickIndex(forgetAfterExpiry, retention);

        // Taken here, not in the background: a second process on the directory must fail the open itself.
        _log = new RawClickSegmentLog(directory, logger, metrics);
        _pruneTimer = timeProvider.CreateTimer(_ => _requests.Writer.TryWrite(PruneRequest.Instance), null, PruneInterval, PruneInterval);
        _loop = Task.Run(() => RunAsync(replayGate ?? Task.CompletedTask));
    }

    /// <summary>Completes when the segments are replayed and requests are answered; faults when replay failed.</summary>
    public Task Loaded => _loaded.Task;

    /// <summary>How many (kind, impression id) pairs the registry holds, as of the last group the loop finished.</summary>
    public int RegisteredIds => Volatile.Read(ref _registeredIds);

    /// <summary>Ad shards with tallies and (hour, slice) entries of the hour index held, as of the last group the loop finished.</summary>
    public (int AdShards, int Hours) Held => (Volatile.Read(ref _talliedAdShards), Volatile.Read(ref _indexedHours));

    public Task<IReadOnlyList<AdEvent>> AppendNewAsync(AdKey key, IReadOnlyList<AdEvent> events, CancellationToken cancellationToken) =>
        SendAsync(new AppendRequest(key, events), cancellationToken);

    public Task<IReadOnlyList<MinuteTally>> CountAsync(AdKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        SendAsync(new CountRequest(key, from, to), cancellationToken);

    public Task<IReadOnlyList<AdKey>> ListActiveAdsAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken) =>
        SendAsync(new ActiveAdsRequest(hour, slice), cancellationToken);

    public Task<IReadOnlyList<BreakdownTally>> CountBreakdownsAsync(AdKey key, DateTimeOffset fromHour, DateTimeOffset toHour, CancellationToken cancellationToken) =>
        SendAsync(new BreakdownCountRequest(key, fromHour, toHour), cancellationToken);

    /// <summary>Answers what is queued, then closes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        _pruneTimer.Dispose();
        _requests.Writer.TryComplete();
        await _loop;
        _log.Dispose();
    }

    private Task<T> SendAsync<T>(Request<T> request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_requests.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(EmbeddedRawClickStore), $"The raw click store in '{_directory}' is closed.");
        }

        // Once queued the request runs regardless; cancelling only stops this caller from waiting for it.
        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(Task replayGate)
    {
        // Requests that arrive meanwhile wait in the channel, so nothing is answered from a half-built registry.
        Exception? loadFailure = null;
        try
        {
            await replayGate;
            Load();
            _loaded.TrySetResult();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Raw click store in {Directory} could not replay its segments", _directory);
            loadFailure = ex;
            _loaded.TrySetException(ex);
        }

        var group = new List<Request>();
        while (await _requests.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxRequestsPerGroup && _requests.Reader.TryRead(out var request))
            {
                group.Add(request);
            }

            try
            {
                if (loadFailure is not null)
                {
                    throw new IOException($"The raw click store in '{_directory}' could not replay its segments.", loadFailure);
                }

                Process(group);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Raw click store in {Directory} failed a group of {Requests} requests", _directory, group.Count);
                group.ForEach(r => r.Fail(ex));
            }

            group.Clear();
        }
    }

    private void Load()
    {
        var now = _timeProvider.GetUtcNow();
        _log.Replay((key, e) =>
        {
            // Ids past the margin are not registered: they are refused as too old anyway.
            if (_index.IsTooOld(e, now) || _index.TryRegister(e))
            {
                _index.Tally(key, e, now);
            }
        });
        PublishSizes();
        _logger.LogInformation("Raw click store opened in {Directory} with {RegisteredIds} registered ids", _directory, _index.RegisteredIds);
    }

    private void Process(List<Request> group)
    {
        var now = _timeProvider.GetUtcNow();
        if (group.Contains(PruneRequest.Instance))
        {
            var (forgotten, minutes) = _index.Prune(now);
            _logger.LogDebug("Raw click store forgot {Forgotten} expired ids and {Minutes} minute tallies past retention", forgotten, minutes);
        }

        var appends = group.OfType<AppendRequest>().ToList();
        var accepted = appends.Select(a => Register(a, now)).ToList();
        if (accepted.Any(events => events.Count > 0))
        {
            try
            {
                _log.Commit(now);
            }
            catch
            {
                // Not written, so not seen: a retry must find these ids new again.
                accepted.SelectMany(events => events).ToList().ForEach(_index.Unregister);
                throw;
            }
        }

        for (var i = 0; i < appends.Count; i++)
        {
            accepted[i].ForEach(e => _index.Tally(appends[i].Key, e, now));
        }

        PublishSizes();
        for (var i = 0; i < appends.Count; i++)
        {
            appends[i].Completion.TrySetResult(accepted[i]);
        }

        foreach (var count in group.OfType<CountRequest>())
        {
            count.Completion.TrySetResult(_index.Count(count.Key, count.From, count.To));
        }

        foreach (var list in group.OfType<ActiveAdsRequest>())
        {
            list.Completion.TrySetResult(_index.ActiveAds(list.Hour, list.Slice));
        }

        foreach (var count in group.OfType<BreakdownCountRequest>())
        {
            count.Completion.TrySetResult(_index.CountBreakdowns(count.Key, count.FromHour, count.ToHour));
        }
    }

    private void PublishSizes()
    {
        Volatile.Write(ref _registeredIds, _index.RegisteredIds);
        Volatile.Write(ref _talliedAdShards, _index.Held.AdShards);
        Volatile.Write(ref _indexedHours, _index.Held.Hours);
    }

    private List<AdEvent> Register(AppendRequest append, DateTimeOffset now)
    {
        var fresh = new List<AdEvent>();
        foreach (var e in append.Events)
        {
            if (!_index.IsTooOld(e, now) && _index.TryRegister(e))
            {
                _log.Append(append.Key, e);
                fresh.Add(e);
            }
        }

        return fresh;
    }

    private abstract class Request
    {
        public abstract void Fail(Exception exception);
    }

    private abstract class Request<T> : Request
    {
        // Callers are grains: their continuations must run on their own scheduler, not inline on the writer.
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception exception) => Completion.TrySetException(exception);
    }

    private sealed class AppendRequest(AdKey key, IReadOnlyList<AdEvent> events) : Request<IReadOnlyList<AdEvent>>
    {
        public AdKey Key => key;

        public IReadOnlyList<AdEvent> Events => events;
    }

    private sealed class CountRequest(AdKey key, DateTimeOffset from, DateTimeOffset to) : Request<IReadOnlyList<MinuteTally>>
    {
        public AdKey Key => key;

        public DateTimeOffset From => from;

        public DateTimeOffset To => to;
    }

    private sealed class ActiveAdsRequest(DateTimeOffset hour, int slice) : Request<IReadOnlyList<AdKey>>
    {
        public DateTimeOffset Hour => hour;

        public int Slice => slice;
    }

    private sealed class BreakdownCountRequest(AdKey key, DateTimeOffset fromHour, DateTimeOffset toHour) : Request<IReadOnlyList<BreakdownTally>>
    {
        public AdKey Key => key;

        public DateTimeOffset FromHour => fromHour;

        public DateTimeOffset ToHour => toHour;
    }

    private sealed class PruneRequest : Request
    {
        public static readonly PruneRequest Instance = new();

        public override void Fail(Exception exception)
        {
        }
    }
}
