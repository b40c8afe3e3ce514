using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Orleans.AdClicks.Benchmarks.Beacons;

/// <summary>
/// The runtime's allocation samples in this process (GC AllocationTick: one event per ~100 KB allocated, naming the type
/// of the allocation that crossed it), counted by type while enabled: a statistical picture of what allocates.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _samples = new(StringComparer.Ordinal);
    private volatile bool _counting;

    public void Start()
    {
        _samples.Clear();
        _counting = true;
    }

    /// <summary>The most sampled types with their share of the samples.</summary>
    public IReadOnlyList<(string Type, double Share)> Stop(int top)
    {
        _counting = false;
        var total = (double)Math.Max(1, _samples.Values.Sum());
        return [.. _samples.OrderByDescending(s => s.Value).Take(top).Select(s => (s.Key, s.Value / total))];
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_counting || eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is null)
        {
            return;
        }

        var index = eventData.PayloadNames.IndexOf("TypeName");
        if (index >= 0 && eventData.Payload?[index] is string type)
        {
            _samples.AddOrUpdate(type, 1, (_, count) => count + 1);
        }
    }
}
