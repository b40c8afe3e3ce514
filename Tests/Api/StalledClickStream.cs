using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>
/// The real click stream, except that appends to chosen ads wait until released (an ad shard whose queue
/// is slow or stuck) or fail; every other ad's appends go through. <see cref="AddTo"/> wraps the stream
/// provider's queue adapter in an Api's services.
/// </summary>
public sealed class StalledClickStream
{
    private readonly ConcurrentDictionary<string, AdStall> _ads = new();

    /// <summary>Holds the ad's appends from now on, until <see cref="Release"/>.</summary>
    public void Hold(Guid adId) => Stall(adId).Hold();

    /// <summary>Lets the ad's held appends and the next ones through.</summary>
    public void Release(Guid adId) => Stall(adId).Release();

    /// <summary>Fails the ad's appends from now on.</summary>
    public void Fail(Guid adId) => Stall(adId).Failing = true;

    /// <summary>How many events each append of the ad carried since the test first named the ad here, held ones included, in order.</summary>
    public IReadOnlyList<int> Appends(Guid adId) => [.. Stall(adId).Appends];

    public void AddTo(IServiceCollection services)
    {
        var original = services.Single(d => d.IsKeyedService && d.ServiceType == typeof(IQueueAdapterFactory) && Equals(d.ServiceKey, Constants.StreamProvider));
        services.Remove(original);
        services.AddKeyedSingleton<IQueueAdapterFactory>(Constants.StreamProvider, (sp, key) =>
            new Factory((IQueueAdapterFactory)original.KeyedImplementationFactory!(sp, key), this));
    }

    private AdStall Stall(Guid adId) => _ads.GetOrAdd(new AdKey(adId, 0).ToString(), _ => new AdStall());

    private Task BeforeAppendAsync(StreamId streamId, int count) =>
        _ads.TryGetValue(streamId.GetKeyAsString(), out var stall) ? stall.BeforeAppendAsync(count) : Task.CompletedTask;

    private sealed class AdStall
    {
        private TaskCompletionSource? _hold;

        public ConcurrentQueue<int> Appends { get; } = new();

        public bool Failing { get; set; }

        public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

        public async Task BeforeAppendAsync(int count)
        {
            Appends.Enqueue(count);
            if (_hold is { } hold)
            {
                await hold.Task;
            }

            if (Failing)
            {
                throw new InvalidOperationException("This ad's appends fail in this test.");
            }
        }
    }

    private sealed class Factory(IQueueAdapterFactory inner, StalledClickStream stalls) : IQueueAdapterFactory
    {
        public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

        public async Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => new Adapter(await inner.CreateAdapter(cancellationToken), stalls);

        public IQueueAdapterCache GetQueueAdapterCache() => inner.GetQueueAdapterCache();

        public IStreamQueueMapper GetStreamQueueMapper() => inner.GetStreamQueueMapper();

        public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => inner.GetDeliveryFailureHandler(queueId);
    }

    private sealed class Adapter(IQueueAdapter inner, StalledClickStream stalls) : IQueueAdapter
    {
        public string Name => inner.Name;

        public bool IsRewindable => inner.IsRewindable;

        public StreamProviderDirection Direction => inner.Direction;

        public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
        {
            var batch = events.ToList();
            await stalls.BeforeAppendAsync(streamId, batch.Count);
            await inner.QueueMessageBatchAsync(streamId, batch, token, requestContext);
        }

        public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => inner.CreateReceiver(queueId);
    }
}
