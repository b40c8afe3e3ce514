using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Streaming;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>
/// Appends events to the Orleans "clicks" stream with group commit per ad shard: a beacon enqueues its
/// event and waits; each ad shard has at most one append in flight, and the events that queue behind it
/// go out together in its next append. Under load the appends grow by themselves; idle, an event goes
/// out at once. A slow shard holds only its own events: the pump keeps taking new ones and the other
/// shards' appends go on, up to <see cref="ClickLogOptions.MaxAppendsInFlight"/> at once.
/// </summary>
/// <remarks>
/// The only retries are the stream's own (the Azure Queue SDK's, configured with the stream): a failed
/// append fails its beacons with 503 and the browser may retry, which a duplicate-refusing count allows.
/// </remarks>
public sealed partial class StreamClickLog : IClickLog, IHostedService
{
    private readonly IClusterClient _client;
    private readonly ClickLogOptions _options;
    private readonly HotAds _hotAds;
    private readonly ILogger<StreamClickLog> _logger;

    // Room for events not yet settled: a beacon takes a permit, whoever settles its event gives it back.
    private readonly SemaphoreSlim _room;
    private readonly Channel<Pending> _incoming = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    // The shards with events waiting or an append in flight, and those waiting for a free append, in turn.
    private readonly Lock _lock = new();
    private readonly Dictionary<AdKey, Shard> _shards = [];
    private readonly Queue<Shard> _ready = new();
    private int _inFlight;
    private TaskCompletionSource? _drained;

    private Task _pump = Task.CompletedTask;
    private long _appended;
    private long _failed;

    public StreamClickLog(IClusterClient client, IOptions<ClickLogOptions> options, HotAds hotAds, ILogger<StreamClickLog> logger)
    {
        _client = client;
        _options = options.Value;
        _hotAds = hotAds;
        _logger = logger;
        _room = new SemaphoreSlim(_options.MaxPending, _options.MaxPending);
    }

    public async Task AppendAsync(AdEvent adEvent, CancellationToken cancellationToken)
    {
        await _room.WaitAsync(cancellationToken);
        var pending = new Pending(adEvent, _room);
        if (!_incoming.Writer.TryWrite(pending))
        {
            _room.Release();
            throw new ClickLogUnavailableException(new InvalidOperationException("The click log is stopping."));
        }

        // A beacon past its deadline abandons its event, and an event abandoned before its append started is
        // dropped: its beacon answered 503, a browser retry brings it again, and appending it would only add to a
        // log that is already slow.
        // An event already in an append is appended anyway: it cannot be recalled, and counting it is right,
        // since the click did happen and a retry of it is refused as a duplicate.
        using var giveUp = cancellationToken.UnsafeRegister(static (state, token) => ((Pending)state!).Abandon(token), pending);
        await pending.Task;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _pump = Task.Run(PumpAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Appends what the log holds for at most <see cref="ClickLogOptions.DrainTimeout"/> (Kestrel stops
    /// first, so no beacon adds to it meanwhile), then gives up on the rest and says how much that was.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var appendedBefore = Interlocked.Read(ref _appended);
        var failedBefore = Interlocked.Read(ref _failed);
        _incoming.Writer.TryComplete();

        // The pump only sorts events into their shards, it never waits on an append: it ends at once.
        await _pump;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DrainTimeout);
        try
        {
            await Drained().WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Out of time: what is left is counted below.
        }

        var (waiting, unfinished) = GiveUpOnTheRest();
        var appended = Interlocked.Read(ref _appended) - appendedBefore;
        var notAppended = waiting + Interlocked.Read(ref _failed) - failedBefore;
        if (notAppended + unfinished == 0)
        {
            LogDrained(appended);
        }
        else
        {
            LogNotDrained(notAppended, unfinished, appended);
        }
    }

    private async Task PumpAsync()
    {
        var provider = _client.GetStreamProvider(Constants.StreamProvider);
        var reader = _incoming.Reader;
        var batch = new List<Pending>(_options.MaxBatch);
        var starts = new List<Append>();
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            lock (_lock)
            {
                foreach (var pending in batch)
                {
                    Enqueue(pending);
                }

                Dispatch(starts);
            }

            Start(provider, starts);
        }
    }

    /// <summary>Puts the event behind its shard's append; a shard with too much waiting refuses it at once.</summary>
    private void Enqueue(Pending pending)
    {
        if (pending.Task.IsCompleted)
        {
            return;
        }

        var key = _hotAds.KeyFor(pending.Event.AdId, pending.Event.ImpressionId);
        if (!_shards.TryGetValue(key, out var shard))
        {
            shard = new Shard(key);
            _shards.Add(key, shard);
        }

        if (shard.Waiting.Count >= _options.MaxPendingPerShard)
        {
            shard.DropAbandoned();
            if (shard.Waiting.Count >= _options.MaxPendingPerShard)
            {
                Interlocked.Increment(ref _failed);
                pending.Fail(new ClickLogUnavailableException(new InvalidOperationException($"Ad shard {key} has {shard.Waiting.Count} events waiting for its append.")));
                return;
            }
        }

        shard.Waiting.Enqueue(pending);
        if (!shard.Scheduled)
        {
            shard.Scheduled = true;
            _ready.Enqueue(shard);
        }
    }

    /// <summary>Gives free appends to the shards in turn; called under the lock, the appends start after it.</summary>
    private void Dispatch(List<Append> starts)
    {
        while (_inFlight < _options.MaxAppendsInFlight && _ready.TryDequeue(out var shard))
        {
            var events = shard.Take(_options.MaxEventsPerAppend);
            if (events.Length == 0)
            {
                shard.Scheduled = false;
                _shards.Remove(shard.Key);
                continue;
            }

            shard.InFlight = events;
            _inFlight++;
            starts.Add(new Append(shard, events));
        }

        if (_drained is not null && _inFlight == 0 && _ready.Count == 0)
        {
            _drained.TrySetResult();
        }
    }

    private void Start(IStreamProvider provider, List<Append> starts)
    {
        foreach (var append in starts)
        {
            _ = AppendAsync(provider, append);
        }

        starts.Clear();
    }

    private async Task AppendAsync(IStreamProvider provider, Append append)
    {
        var (shard, events) = append;
        try
        {
            var stream = provider.GetStream<AdEvent>(StreamId.Create(Constants.ClicksNamespace, shard.Key.ToString()));
            await stream.OnNextBatchAsync(Array.ConvertAll(events, p => p.Event));
            Interlocked.Add(ref _appended, events.Length);
            foreach (var pending in events)
            {
                pending.Appended();
            }
        }
        catch (Exception ex)
        {
            LogAppendFailed(ex, shard.Key.ToString(), events.Length);
            Interlocked.Add(ref _failed, events.Length);
            foreach (var pending in events)
            {
                pending.Fail(new ClickLogUnavailableException(ex));
            }

            // An append that fails at once must not start the next one on this stack.
            await Task.Yield();
        }

        var starts = new List<Append>();
        lock (_lock)
        {
            _inFlight--;
            shard.InFlight = null;
            if (shard.Waiting.Count > 0)
            {
                // Behind the shards already waiting: a busy ad does not keep the others from their turn.
                _ready.Enqueue(shard);
            }
            else
            {
                shard.Scheduled = false;
                _shards.Remove(shard.Key);
            }

            Dispatch(starts);
        }

        Start(provider, starts);
    }

    private Task Drained()
    {
        lock (_lock)
        {
            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inFlight == 0 && _ready.Count == 0)
            {
                _drained.TrySetResult();
            }

            return _drained.Task;
        }
    }

    /// <summary>Fails every event still held: waiting for an append, or in one that has not completed.</summary>
    private (long Waiting, long Unfinished) GiveUpOnTheRest()
    {
        var stopped = new ClickLogUnavailableException(new InvalidOperationException("The click log stopped."));
        long waiting = 0;
        long unfinished = 0;
        lock (_lock)
        {
            foreach (var shard in _shards.Values)
            {
                waiting += shard.Waiting.Count;
                foreach (var pending in shard.Waiting)
                {
                    pending.Fail(stopped);
                }

                shard.Waiting.Clear();
                foreach (var pending in shard.InFlight ?? [])
                {
                    unfinished++;
                    pending.Fail(stopped);
                }
            }
        }

        return (waiting, unfinished);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending {Count} events of ad {AdKey} to the click log failed")]
    private partial void LogAppendFailed(Exception ex, string adKey, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "The click log stopped after appending every event it held ({Appended} while stopping)")]
    private partial void LogDrained(long appended);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The click log stopped with {NotAppended} events not appended and {Unfinished} in appends that had not completed (they may still land); {Appended} were appended while stopping")]
    private partial void LogNotDrained(long notAppended, long unfinished, long appended);

    private readonly record struct Append(Shard Shard, Pending[] Events);

    /// <summary>The events of one ad shard, and its append in flight.</summary>
    private sealed class Shard(AdKey key)
    {
        public AdKey Key { get; } = key;

        public Queue<Pending> Waiting { get; } = new();

        public Pending[]? InFlight { get; set; }

        /// <summary>Waiting for an append or in one.</summary>
        public bool Scheduled { get; set; }

        /// <summary>The next events to append, leaving out those abandoned by their beacons.</summary>
        public Pending[] Take(int max)
        {
            var events = new List<Pending>(Math.Min(max, Waiting.Count));
            while (events.Count < max && Waiting.TryDequeue(out var pending))
            {
                if (!pending.Task.IsCompleted)
                {
                    events.Add(pending);
                }
            }

            return [.. events];
        }

        /// <summary>Forgets the abandoned events at the front: they are the oldest, so mostly past their deadline.</summary>
        public void DropAbandoned()
        {
            while (Waiting.TryPeek(out var pending) && pending.Task.IsCompleted)
            {
                Waiting.Dequeue();
            }
        }
    }

    /// <summary>An event and its beacon's wait; settling it (once, by whoever comes first) frees its room.</summary>
    private sealed class Pending(AdEvent adEvent, SemaphoreSlim room) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public AdEvent Event { get; } = adEvent;

        public void Appended()
        {
            if (TrySetResult())
            {
                room.Release();
            }
        }

        public void Fail(Exception error)
        {
            if (TrySetException(error))
            {
                room.Release();
            }
        }

        public void Abandon(CancellationToken token)
        {
            if (TrySetCanceled(token))
            {
                room.Release();
            }
        }
    }
}
