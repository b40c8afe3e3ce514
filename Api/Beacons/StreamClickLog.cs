using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Events;
using Orleans.Runtime;
using Orleans.Streams;
using Polly;
using Polly.Retry;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>
/// Appends events to the Orleans "clicks" stream with group commit: a beacon enqueues its event and
/// waits; a pump takes everything that queued meanwhile and appends it as one batch per ad shard.
/// Under load the batches grow by themselves; idle, an event goes out at once.
/// </summary>
public sealed partial class StreamClickLog(IClusterClient client, IOptions<ClickLogOptions> options, ILogger<StreamClickLog> logger)
    : IClickLog, IHostedService
{
    // Two pumps keep one batch in flight while the next one forms.
    private const int Pumps = 2;

    // Rides out a blip of the log (a silo or storage restarting) before the beacon gives up with 503.
    // A retried append that had in fact succeeded only duplicates events, which counting refuses.
    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, Delay = TimeSpan.FromMilliseconds(200), UseJitter = true })
        .Build();

    private readonly Channel<Pending> _pending = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(options.Value.MaxPending) { FullMode = BoundedChannelFullMode.Wait, SingleReader = false });

    private Task[] _pumps = [];

    public Task AppendAsync(AdEvent adEvent)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = _pending.Writer.WriteAsync(new Pending(adEvent, done));
        return write.IsCompletedSuccessfully ? done.Task : WaitForRoomAsync(write, done.Task);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _pumps = [.. Enumerable.Range(0, Pumps).Select(_ => Task.Run(PumpAsync, CancellationToken.None))];
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Drain what beacons already answered for before the Orleans client goes away.
        _pending.Writer.TryComplete();
        await Task.WhenAll(_pumps).WaitAsync(cancellationToken);
    }

    private static async Task WaitForRoomAsync(ValueTask write, Task done)
    {
        try
        {
            await write;
        }
        catch (ChannelClosedException ex)
        {
            // Shutting down: the pumps are draining and take nothing new.
            throw new ClickLogUnavailableException(ex);
        }

        await done;
    }

    private async Task PumpAsync()
    {
        var provider = client.GetStreamProvider(Constants.StreamProvider);
        var shards = options.Value.ShardsPerAd;
        var maxBatch = options.Value.MaxBatch;
        var batch = new List<Pending>(maxBatch);
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < maxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            var appends = batch
                .GroupBy(p => AdKey.For(p.Event.AdId, p.Event.ImpressionId, shards))
                .SelectMany(group => group.Chunk(options.Value.MaxEventsPerAppend).Select(chunk => AppendGroupAsync(provider, group.Key, chunk)));
            await Task.WhenAll(appends);
        }
    }

    private async Task AppendGroupAsync(IStreamProvider provider, AdKey key, Pending[] group)
    {
        try
        {
            var stream = provider.GetStream<AdEvent>(StreamId.Create(Constants.ClicksNamespace, key.ToString()));
            var events = Array.ConvertAll(group, p => p.Event);
            await Retry.ExecuteAsync(static async (state, _) => await state.stream.OnNextBatchAsync(state.events), (stream, events));
            foreach (var pending in group)
            {
                pending.Done.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            LogAppendFailed(ex, key.ToString(), group.Length);
            foreach (var pending in group)
            {
                pending.Done.TrySetException(new ClickLogUnavailableException(ex));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending {Count} events of ad {AdKey} to the click log failed")]
    private partial void LogAppendFailed(Exception ex, string adKey, int count);

    private readonly record struct Pending(AdEvent Event, TaskCompletionSource Done);
}
