using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Streaming;

/// <summary>
/// How hot ads are spread (the "AdClicks:ClickLog" keys of the same names): every ad's shards, the events per second
/// one shard is given (0: no spreading), the most shards an ad gets, and how long it must need half before it gives half back.
/// </summary>
public sealed record HotAdSettings(int ShardsPerAd, int EventsPerShardPerSecond, int MaxShardsPerAd, TimeSpan CoolDown);

/// <summary>
/// Spreads a hot ad over more counting shards, and back when it cools. The stream click log asks it for each event's
/// stream key, and on Event Hubs each partition's reader has its own (<see cref="PartitionHotAds"/>). It counts
/// events per ad in one-second windows in a count-min sketch (fixed memory, no allocation per event, whatever the
/// number of ads) and at each window's end gives an ad above <see cref="HotAdSettings.EventsPerShardPerSecond"/> the
/// power of two of shards its rate needs, up to <see cref="HotAdSettings.MaxShardsPerAd"/>; an ad below what half its
/// shards take for <see cref="HotAdSettings.CoolDown"/> halves them, down to <see cref="HotAdSettings.ShardsPerAd"/>.
/// </summary>
/// <remarks>
/// Each instance decides alone. That is safe because the raw store refuses a duplicate by impression id
/// alone, whichever shard it reaches: an event retried after its ad's shard count changed may land on another
/// shard and is refused there. Every shard owns its own rows and queries sum the shards.
/// </remarks>
public sealed partial class HotAds : IDisposable
{
    private const int SketchRows = 4;
    private const int SketchBits = 14;
    private const int SketchWidth = 1 << SketchBits;

    private readonly int _baseShards;
    private readonly int _maxShards;
    private readonly int _eventsPerShard;
    private readonly TimeSpan _coolDown;
    private readonly TimeProvider _time;
    private readonly ILogger<HotAds> _logger;
    private readonly ITimer? _timer;

    // Written by every click log thread; swapped with the spare at each window's end.
    private int[] _window = new int[SketchRows * SketchWidth];
    private int[] _spare = new int[SketchRows * SketchWidth];
    private readonly ConcurrentDictionary<Guid, byte> _candidates = new();
    private long _windowStarted;

    // Only the window's end reads and writes these; the click logs read the frozen copy.
    private readonly Dictionary<Guid, Hot> _hot = [];
    private volatile FrozenDictionary<Guid, int> _shards = FrozenDictionary<Guid, int>.Empty;

    public HotAds(HotAdSettings settings, TimeProvider time, ILogger<HotAds> logger)
    {
        _baseShards = settings.ShardsPerAd;
        _maxShards = Math.Max(settings.MaxShardsPerAd, settings.ShardsPerAd);
        _eventsPerShard = settings.EventsPerShardPerSecond;
        _coolDown = settings.CoolDown;
        _time = time;
        _logger = logger;
        _windowStarted = time.GetTimestamp();
        if (_eventsPerShard > 0 && _maxShards > _baseShards)
        {
            _timer = time.CreateTimer(_ => EndWindow(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The ads counted by more than <see cref="HotAdSettings.ShardsPerAd"/> shards now, and how many each.</summary>
    public IReadOnlyDictionary<Guid, int> Shards => _shards;

    /// <summary>The stream key of one event: its ad's shard for its impression id, under the ad's shard count now.</summary>
    public AdKey KeyFor(Guid adId, Guid impressionId)
    {
        // The lookup first: TryAdd takes a lock even when the ad is already a candidate.
        if (_timer is not null && Count(_window, adId, add: true) >= _eventsPerShard && !_candidates.ContainsKey(adId))
        {
            _candidates.TryAdd(adId, 0);
        }

        return AdKey.For(adId, impressionId, _shards.TryGetValue(adId, out var shards) ? shards : _baseShards);
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>Decides each hot ad's shards from the window that ends now, and starts the next one.</summary>
    internal void EndWindow()
    {
        var ended = _window;
        _window = _spare;
        var now = _time.GetTimestamp();
        var seconds = Math.Max(_time.GetElapsedTime(_windowStarted, now).TotalSeconds, 0.001);
        _windowStarted = now;

        var changed = false;
        foreach (var adId in _candidates.Keys.Union(_hot.Keys).ToList())
        {
            changed |= Decide(adId, Count(ended, adId, add: false) / seconds, now);
        }

        _candidates.Clear();
        Array.Clear(ended);
        _spare = ended;
        if (changed)
        {
            _shards = _hot.ToFrozenDictionary(h => h.Key, h => h.Value.Shards);
        }
    }

    private bool Decide(Guid adId, double rate, long now)
    {
        var isHot = _hot.TryGetValue(adId, out var hot);
        var current = isHot ? hot.Shards : _baseShards;
        var needed = (uint)Math.Clamp(Math.Ceiling(rate / _eventsPerShard), 1, _maxShards);
        var wanted = Math.Clamp((int)System.Numerics.BitOperations.RoundUpToPowerOf2(needed), _baseShards, _maxShards);
        if (wanted > current)
        {
            _hot[adId] = new Hot(wanted, now);
            LogSpread(adId, rate, wanted);
            return true;
        }

        if (!isHot)
        {
            return false;
        }

        if (wanted == current)
        {
            // It still needs more than half its shards: not cooling.
            _hot[adId] = hot with { Since = now };
            return false;
        }

        if (_time.GetElapsedTime(hot.Since, now) < _coolDown)
        {
            return false;
        }

        // One halving per cool-down, so a dip does not send a still-warm ad back to one grain at once.
        var fewer = current / 2;
        if (fewer <= _baseShards)
        {
            _hot.Remove(adId);
        }
        else
        {
            _hot[adId] = new Hot(fewer, now);
        }

        LogShrunk(adId, rate, Math.Max(fewer, _baseShards));
        return true;
    }

    /// <summary>Adds one event of <paramref name="adId"/> (when <paramref name="add"/>) and returns its estimate: never below its true count.</summary>
    private static int Count(int[] sketch, Guid adId, bool add)
    {
        // A v4 GUID's bytes are random; each row mixes a different quarter so rows collide independently.
        var words = MemoryMarshal.Cast<Guid, uint>(new ReadOnlySpan<Guid>(in adId));
        var estimate = int.MaxValue;
        for (var row = 0; row < SketchRows; row++)
        {
            var index = (row * SketchWidth) + (int)((words[row] * 0x9E3779B1u) >> (32 - SketchBits));
            var count = add ? Interlocked.Increment(ref sketch[index]) : Volatile.Read(ref sketch[index]);
            estimate = Math.Min(estimate, count);
        }

        return estimate;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ad {AdId} takes {Rate:F0} events/s: counted by {Shards} shards from now")]
    private partial void LogSpread(Guid adId, double rate, int shards);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ad {AdId} cooled to {Rate:F0} events/s: counted by {Shards} shards from now")]
    private partial void LogShrunk(Guid adId, double rate, int shards);

    private readonly record struct Hot(int Shards, long Since);
}
