using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Benchmarks.Micro;

/// <summary>
/// The embedded raw store's append of new events as counting grains make it (<see cref="EmbeddedRawClickStore.AppendNewAsync"/>:
/// the request to the writer loop, dedup, the segment record, the group's write and fsync, the tallies, the answer), one
/// event per append as most ads of a Zipf load send it: alone (one fsync per event) and 64 ad shards at once (one group
/// commit). Every event is new. <see cref="NewEvent"/> is what making the event costs, included in the others.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(2)]
[IterationCount(10)]
public class RawStoreAppendBenchmarks
{
    private const int Concurrent = 64;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "adclicks-bench-" + Guid.NewGuid().ToString("N"));
    private readonly Task[] _appends = new Task[Concurrent];
    private readonly Guid _campaign = Guid.NewGuid();
    private EmbeddedRawClickStore _store = null!;
    private Guid[] _ads = [];
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _store = EmbeddedRawClickStore.Open(_directory, EmbeddedRawClickStore.DefaultRetention, TimeProvider.System, NullLogger<EmbeddedRawClickStore>.Instance);
        await _store.Loaded;
        _ads = [.. Enumerable.Range(0, 5_000).Select(_ => Guid.NewGuid())];
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public AdEvent NewEvent() => HotPathEvents.Click(NextAd(), _campaign, Guid.NewGuid(), DateTimeOffset.UtcNow);

    [Benchmark]
    public Task AppendOne() => Append();

    /// <summary>Per event, 64 ad shards appending one event each at once.</summary>
    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task AppendConcurrent()
    {
        for (var i = 0; i < Concurrent; i++)
        {
            _appends[i] = Append();
        }

        return Task.WhenAll(_appends);
    }

    private Task Append()
    {
        var e = HotPathEvents.Click(NextAd(), _campaign, Guid.NewGuid(), DateTimeOffset.UtcNow);
        return _store.AppendNewAsync(new AdKey(e.AdId, 0), [e]);
    }

    private Guid NextAd() => _ads[_next++ % _ads.Length];
}
