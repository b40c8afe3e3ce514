using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// Dedup keys this process knows are in the table (it wrote them, or found them there), so a retry
/// seconds later is refused without a storage round trip and a 409 rollback. Only ever refuses what
/// exists, so it cannot let a duplicate in. Bounded: two generations of half the capacity each.
/// </summary>
internal sealed class RecentRawClickIds(int capacity)
{
    private readonly Lock _lock = new();
    private HashSet<(AdEventKind, Guid)> _current = [];
    private HashSet<(AdEventKind, Guid)> _previous = [];

    public bool Contains(AdEvent e)
    {
        lock (_lock)
        {
            return _current.Contains((e.Kind, e.ImpressionId)) || _previous.Contains((e.Kind, e.ImpressionId));
        }
    }

    public void AddRange(IEnumerable<AdEvent> events)
    {
        if (capacity == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var e in events)
            {
                if (_current.Count >= capacity / 2)
                {
                    (_previous, _current) = (_current, []);
                }

                _current.Add((e.Kind, e.ImpressionId));
            }
        }
    }
}
