using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// The (hour, ad shard) pairs this process knows are in the hour index, so an ad's appends after its first
/// of an hour cost no index write. Forgetting one only costs a repeated, idempotent upsert. Bounded like
/// <see cref="RecentRawClickIds"/>: two generations of half the capacity each.
/// </summary>
internal sealed class IndexedAdHours(int capacity)
{
    private readonly Lock _lock = new();
    private HashSet<(long HourTicks, AdKey Key)> _current = [];
    private HashSet<(long HourTicks, AdKey Key)> _previous = [];

    public bool Contains(DateTimeOffset hour, AdKey key)
    {
        lock (_lock)
        {
            return _current.Contains((hour.UtcTicks, key)) || _previous.Contains((hour.UtcTicks, key));
        }
    }

    public void AddRange(IEnumerable<DateTimeOffset> hours, AdKey key)
    {
        if (capacity == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var hour in hours)
            {
                if (_current.Count >= capacity / 2)
                {
                    (_previous, _current) = (_current, []);
                }

                _current.Add((hour.UtcTicks, key));
            }
        }
    }
}
