using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.Providers;
using Orleans.Serialization;
using System.Buffers;

namespace Orleans.AdClicks.Benchmarks.Micro;

/// <summary>
/// Encoding the events of one append, per format on the click path: the embedded profile's memory stream body
/// (Orleans serializer, what MemoryAdapterFactory does per OnNextBatchAsync), the Azure Queue message
/// (<see cref="AdEventWire.EncodeBatch"/>), a Kafka record (<see cref="AdEventWire.Encode"/>, one event each) and the
/// embedded raw store's record (<see cref="RawClickRecordCodec"/>). <see cref="Events"/> events per append, one ad.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(10)]
public class AdEventEncodingBenchmarks
{
    private readonly ArrayBufferWriter<byte> _records = new(64 * 1024);
    private ServiceProvider _services = null!;
    private IMemoryMessageBodySerializer _memoryBody = null!;
    private AdEvent[] _events = [];
    private AdKey _key;
    private string _streamKey = "";

    [Params(1, 10)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection()
            .AddSerializer(s => s.AddAssembly(typeof(AdEvent).Assembly).AddAssembly(typeof(MemoryMessageBody).Assembly))
            .BuildServiceProvider();
        _memoryBody = new DefaultMemoryMessageBodySerializer(_services.GetRequiredService<Serializer<MemoryMessageBody>>());
        _events = HotPathEvents.Clicks(Events, 1, HotPathEvents.Now);
        _key = new AdKey(_events[0].AdId, 0);
        _streamKey = _key.ToString();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public int MemoryStreamBody() => _memoryBody.Serialize(new MemoryMessageBody(_events, null)).Count;

    [Benchmark]
    public int AzureQueueMessage() => AdEventWire.EncodeBatch(_streamKey, _events).Length;

    [Benchmark]
    public int KafkaRecords()
    {
        var bytes = 0;
        foreach (var e in _events)
        {
            bytes += AdEventWire.Encode(e).Length;
        }

        return bytes;
    }

    [Benchmark]
    public int RawStoreRecords()
    {
        _records.ResetWrittenCount();
        foreach (var e in _events)
        {
            RawClickRecordCodec.Write(_records, _key, e);
        }

        return _records.WrittenCount;
    }
}
