namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// A bounded memory of what this process knows is already stored: dedup keys it wrote or found, hour index
/// rows it upserted. It only ever answers "stored" for what is, so forgetting costs a round trip, never
/// correctness. Two generations of half the capacity each: the older is dropped whole when the newer fills.
/// </summary>
internal sealed class RecentSet<T>(int capacity)
    where T : notnull
{
    private readonly Lock _lock = new();
    private HashSet<T> _current = [];
    private HashSet<T> _previous = [];

    public bool Contains(T item)
    {
        lock (_lock)
        {
            return _current.Contains(item) || _previous.Contains(item);
        }
    }

    public void AddRange(IEnumerable<T> items)
    {
        if (capacity == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var item in items)
            {
                if (_current.Count >= capacity / 2)
                {
                    (_previous, _current) = (_current, []);
                }

                _current.Add(item);
            }
        }
    }
}
