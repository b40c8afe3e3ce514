using BitFaster.Caching.Lru;

namespace Orleans.AdClicks.Api.InvalidTraffic;

/// <summary>
/// Click counts per (client address, ad or campaign) in fixed windows that start at a pair's first click, in
/// memory: at most a table size of pairs, the least recently clicked forgotten. A pair's first
/// limit-many clicks in a window are admitted, the rest are a flood. Each window remembers the impressions it
/// admitted, so a browser retrying one of them (refused later as a duplicate) neither counts twice nor turns
/// into a flood.
/// </summary>
public sealed class ClickWindows(int capacity)
{
    // Lock-free LRU like AdTargets; a window's own lock is contended only by clicks of one pair.
    private readonly FastConcurrentLru<(string Address, Guid Id), Window> _windows = new(Environment.ProcessorCount, capacity, EqualityComparer<(string, Guid)>.Default);

    /// <summary>Pairs tracked now.</summary>
    public int Count => _windows.Count;

    /// <summary>Whether the click of <paramref name="impressionId"/> is within the pair's limit now.</summary>
    public bool Admit(string address, Guid id, Guid impressionId, DateTimeOffset now, int limit, TimeSpan window)
    {
        var entry = _windows.GetOrAdd((address, id), static _ => new Window());
        lock (entry)
        {
            return entry.Admit(impressionId, now, limit, window);
        }
    }

    private sealed class Window
    {
        private DateTimeOffset _start = DateTimeOffset.MinValue;
        private Guid[] _admitted = [];
        private int _count;

        public bool Admit(Guid impressionId, DateTimeOffset now, int limit, TimeSpan window)
        {
            if (now - _start >= window)
            {
                _start = now;
                _count = 0;
            }

            if (Array.IndexOf(_admitted, impressionId, 0, _count) >= 0)
            {
                return true;
            }

            if (_count >= limit)
            {
                return false;
            }

            if (_count == _admitted.Length)
            {
                Array.Resize(ref _admitted, Math.Min(limit, Math.Max(4, _count * 2)));
            }

            _admitted[_count++] = impressionId;
            return true;
        }
    }
}
