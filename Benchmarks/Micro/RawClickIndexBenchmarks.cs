using System.Buffers;
using BenchmarkDotNet.Attributes;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Benchmarks.Micro;

/// <summary>
/// The raw store writer loop's CPU per new event, without the disk: the dedup registry (holding a million ids already,
/// as a busy day does), the segment record and the minute tally with its hour-index mark, over 5,000 ads.
/// <see cref="NewEvent"/> is what making the event costs, included in the other.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(15)]
[InvocationCount(100_000)]
public class RawClickIndexBenchmarks
{
    private readonly RawClickIndex _index = new(EmbeddedRawClickStore.DefaultForgetAfterExpiry, EmbeddedRawClickStore.DefaultRetention);
    private readonly ArrayBufferWriter<byte> _records = new(1024 * 1024);
    private readonly Guid _campaign = Guid.NewGuid();
    private Guid[] _ads = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _ads = [.. Enumerable.Range(0, 5_000).Select(_ => Guid.NewGuid())];
        for (var i = 0; i < 1_000_000; i++)
        {
            var e = NewEvent();
            _index.TryRegister(e);
            _index.Tally(new AdKey(e.AdId, 0), e, HotPathEvents.Now);
        }
    }

    [Benchmark(Baseline = true)]
    public AdEvent NewEvent() => HotPathEvents.Click(_ads[_next++ % _ads.Length], _campaign, Guid.NewGuid(), HotPathEvents.Now);

    [Benchmark]
    public bool RegisterRecordTally()
    {
        var e = NewEvent();
        var key = new AdKey(e.AdId, 0);
        if (_index.IsTooOld(e, HotPathEvents.Now) || !_index.TryRegister(e))
        {
            return false;
        }

        if (_records.FreeCapacity < 1024)
        {
            _records.ResetWrittenCount();
        }

        RawClickRecordCodec.Write(_records, key, e);
        _index.Tally(key, e, HotPathEvents.Now);
        return true;
    }
}
