using BenchmarkDotNet.Attributes;
using Orleans.AdClicks.Ads;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Benchmarks.Micro;

/// <summary>
/// A counting grain's minute counts (<see cref="MinuteCounts"/>): adding one accepted billable event to its known minute,
/// and the per-flush work of a shard with one dirty minute (its dirty rows taken, then marked written), which at a
/// Zipf load's small batches happens about once per event.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(10)]
public class MinuteCountsBenchmarks
{
    private readonly MinuteCounts _counts = new();
    private AdEvent[] _events = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _events = HotPathEvents.Clicks(1_000, 1, HotPathEvents.Now);
        _counts.LoadFrom(MinuteBucket.Of(HotPathEvents.Now).AddMinutes(-10), []);
    }

    [Benchmark(Baseline = true)]
    public void Add() => _counts.Add(_events[_next++ % _events.Length]);

    [Benchmark]
    public int AddAndFlush()
    {
        _counts.Add(_events[_next++ % _events.Length]);
        var dirty = _counts.Dirty();
        _counts.MarkWritten(dirty);
        return dirty.Count;
    }
}
