using System.Globalization;
using Azure.Messaging.EventHubs;
using Orleans.Streaming.EventHubs;

namespace Orleans.AdClicks.Tests.Infrastructure.EventHubs;

/// <summary>
/// Reads one partition of an <see cref="InMemoryEventHub"/> as Orleans' partition receiver reads a real one: from the
/// checkpointed offset inclusive, or with no checkpoint ("-1") from the earliest record, or from the end when
/// <c>StartFromNow</c>.
/// </summary>
internal sealed class InMemoryPartitionReceiver : IEventHubReceiver
{
    // Short, so a stopping silo does not wait; the real receiver waits up to the agent's 5 s.
    private static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(100);

    private readonly InMemoryEventHub _hub;
    private readonly string _partition;
    private readonly CancellationTokenSource _closed = new();
    private long _next;

    public InMemoryPartitionReceiver(InMemoryEventHub hub, string partition, string offset, bool startFromNow)
    {
        _hub = hub;
        _partition = partition;
        _next = offset != "-1" ? long.Parse(offset, CultureInfo.InvariantCulture)
            : startFromNow ? hub.EndOffset(partition)
            : 0;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IEnumerable<EventData>> ReceiveAsync(int maxCount, TimeSpan waitTime) => ReceiveAsync(maxCount, waitTime, CancellationToken.None);

    public async Task<IEnumerable<EventData>> ReceiveAsync(int maxCount, TimeSpan waitTime, CancellationToken cancellationToken)
    {
        var appended = _hub.Appended();
        var records = _hub.Read(_partition, _next, maxCount);
        if (records.Count == 0)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
            await appended.WaitAsync(waitTime < MaxWait ? waitTime : MaxWait, TimeProvider.System, wait.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            records = _hub.Read(_partition, _next, maxCount);
        }

        if (records.Count > 0)
        {
            // Past the last record read: offsets grow, so any value above it starts at the next one.
            _next = long.Parse(records[^1].OffsetString, CultureInfo.InvariantCulture) + 1;
        }

        return records;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task CloseAsync() => CloseAsync(CancellationToken.None);

    public Task CloseAsync(CancellationToken cancellationToken)
    {
        _closed.Cancel();
        return Task.CompletedTask;
    }
}
