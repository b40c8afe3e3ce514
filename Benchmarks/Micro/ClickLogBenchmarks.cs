extern alias AdClicksApi;

using System.Reflection;
using AdClicksApi::Orleans.AdClicks.Api.Beacons;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Streaming;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.AdClicks.Benchmarks.Micro;

/// <summary>
/// The beacon's click log append in process (<see cref="StreamClickLog"/>: the room semaphore, the channel, the pump's
/// sorting into ad shards with the hot-ad sketch, the group commit, the completion back to the beacon), with a stream whose append completes
/// at once, so what is measured is the log's own work per event, not Orleans'. <see cref="Concurrent"/> beacons
/// append at once (as 64 connections do), over <see cref="Ads"/> ads: 1 is one hot ad (group commit batches them),
/// 5,000 spreads them so nearly every event is its own append, as the realistic load's Zipf ads do.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(10)]
public class ClickLogBenchmarks
{
    private const int Concurrent = 64;

    private readonly Task[] _appends = new Task[Concurrent];
    private ServiceProvider _services = null!;
    private HotAds _hotAds = null!;
    private StreamClickLog _log = null!;
    private AdEvent[] _events = [];
    private int _next;

    [Params(1, 5_000)]
    public int Ads { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _services = new ServiceCollection().AddKeyedSingleton<IStreamProvider>(Constants.StreamProvider, new InstantStreams()).BuildServiceProvider();
        var client = DispatchProxy.Create<IClusterClient, ServiceProviderOnly>();
        ((ServiceProviderOnly)(object)client).Services = _services;
        var options = Options.Create(new ClickLogOptions());
        _hotAds = new HotAds(options.Value.HotAdSettings(), TimeProvider.System, NullLogger<HotAds>.Instance);
        _log = new StreamClickLog(client, options, _hotAds, NullLogger<StreamClickLog>.Instance);
        await _log.StartAsync(CancellationToken.None);
        _events = HotPathEvents.Clicks(Math.Max(Ads, Concurrent) * 4, Ads, HotPathEvents.Now);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _log.StopAsync(CancellationToken.None);
        _hotAds.Dispose();
        await _services.DisposeAsync();
    }

    /// <summary>One beacon alone: an append per event, and a pump wake-up.</summary>
    [Benchmark]
    public Task AppendOne() => _log.AppendAsync(NextEvent(), CancellationToken.None);

    /// <summary>Per event, 64 beacons appending together.</summary>
    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task AppendConcurrent()
    {
        for (var i = 0; i < Concurrent; i++)
        {
            _appends[i] = _log.AppendAsync(NextEvent(), CancellationToken.None);
        }

        return Task.WhenAll(_appends);
    }

    private AdEvent NextEvent()
    {
        var next = _next + 1 == _events.Length ? 0 : _next + 1;
        _next = next;
        return _events[next];
    }

    /// <summary>A cluster client that only has services: the click log asks it for nothing else.</summary>
    public class ServiceProviderOnly : DispatchProxy
    {
        public IServiceProvider Services { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == "get_ServiceProvider" ? Services : throw new NotSupportedException(targetMethod?.Name);
    }

    private sealed class InstantStreams : IStreamProvider
    {
        public string Name => Constants.StreamProvider;

        public bool IsRewindable => false;

        public IAsyncStream<T> GetStream<T>(StreamId streamId) => (IAsyncStream<T>)(object)new InstantStream(streamId);
    }

    /// <summary>A stream whose appends complete at once; nothing subscribes to it.</summary>
    private sealed class InstantStream(StreamId streamId) : IAsyncStream<AdEvent>
    {
        public bool IsRewindable => false;

        public string ProviderName => Constants.StreamProvider;

        public StreamId StreamId => streamId;

        public Task OnNextBatchAsync(IEnumerable<AdEvent> batch, StreamSequenceToken? token = null) => Task.CompletedTask;

        public Task OnNextAsync(AdEvent item, StreamSequenceToken? token = null) => Task.CompletedTask;

        public Task OnCompletedAsync() => Task.CompletedTask;

        public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

        public Task<IList<StreamSubscriptionHandle<AdEvent>>> GetAllSubscriptionHandles() => throw new NotSupportedException();

        public Task<StreamSubscriptionHandle<AdEvent>> SubscribeAsync(IAsyncObserver<AdEvent> observer) => throw new NotSupportedException();

        public Task<StreamSubscriptionHandle<AdEvent>> SubscribeAsync(IAsyncObserver<AdEvent> observer, StreamSequenceToken? token, string? filterData = null) => throw new NotSupportedException();

        public Task<StreamSubscriptionHandle<AdEvent>> SubscribeAsync(IAsyncBatchObserver<AdEvent> observer) => throw new NotSupportedException();

        public Task<StreamSubscriptionHandle<AdEvent>> SubscribeAsync(IAsyncBatchObserver<AdEvent> observer, StreamSequenceToken? token) => throw new NotSupportedException();

        public int CompareTo(IAsyncStream<AdEvent>? other) => other is null ? 1 : streamId.CompareTo(other.StreamId);

        public bool Equals(IAsyncStream<AdEvent>? other) => other is not null && streamId.Equals(other.StreamId);
    }
}
