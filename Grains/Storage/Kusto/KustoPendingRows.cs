using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// The minute rows a process has not yet ingested, one per (ad, shard, minute): a newer version replaces a
/// waiting row, an older one is ignored, and an ingested row leaves only if no newer version came meanwhile.
/// Thread-safe.
/// </summary>
internal sealed class KustoPendingRows(int maxRows)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<AdKey, Dictionary<DateTimeOffset, PendingRow>> _rows = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes the rows, unless that would hold more than the bound; returns how many rows wait then.</summary>
    /// <returns>False, taking none, when the new keys would not fit.</returns>
    public bool TryAdd(IReadOnlyList<MinuteCountRow> rows, DateTimeOffset now, out int count)
    {
        lock (_lock)
        {
            count = _count;
            if (_count + rows.Count > maxRows && _count + NewKeys(rows) > maxRows)
            {
                return false;
            }

            foreach (var row in rows)
            {
                var key = new AdKey(row.AdId, row.Shard);
                if (!_rows.TryGetValue(key, out var minutes))
                {
                    _rows[key] = minutes = [];
                }

                var minute = MinuteBucket.Of(row.Minute);
                if (!minutes.TryGetValue(minute, out var waiting))
                {
                    minutes[minute] = new PendingRow(row, now);
                    _count++;
                }
                else if (row.Version >= waiting.Row.Version)
                {
                    // The oldest change keeps its age: the one the metric should show.
                    minutes[minute] = waiting with { Row = row };
                }
            }

            count = _count;
            return true;
        }
    }

    /// <summary>A copy of every waiting row.</summary>
    public MinuteCountRow[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _rows.Values.SelectMany(minutes => minutes.Values).Select(p => p.Row)];
        }
    }

    /// <summary>Removes the ingested rows whose version still is the waiting one.</summary>
    public void Ingested(IReadOnlyList<MinuteCountRow> rows)
    {
        lock (_lock)
        {
            foreach (var row in rows)
            {
                var key = new AdKey(row.AdId, row.Shard);
                var minute = MinuteBucket.Of(row.Minute);
                // A newer version written while the request was in flight is not in ADX yet: it stays.
                if (_rows.TryGetValue(key, out var minutes) && minutes.TryGetValue(minute, out var waiting) && waiting.Row.Version == row.Version)
                {
                    minutes.Remove(minute);
                    _count--;
                    if (minutes.Count == 0)
                    {
                        _rows.Remove(key);
                    }
                }
            }
        }
    }

    /// <summary>The highest waiting version of <paramref name="key"/>'s rows; null when none waits.</summary>
    public long? LatestVersion(AdKey key)
    {
        lock (_lock)
        {
            return _rows.TryGetValue(key, out var minutes) ? minutes.Values.Max(p => p.Row.Version) : null;
        }
    }

    /// <summary>When the oldest waiting change came; null when nothing waits.</summary>
    public DateTimeOffset? OldestSince()
    {
        DateTimeOffset? oldest = null;
        lock (_lock)
        {
            foreach (var waiting in _rows.Values.SelectMany(minutes => minutes.Values))
            {
                if (oldest is null || waiting.Since < oldest)
                {
                    oldest = waiting.Since;
                }
            }
        }

        return oldest;
    }

    private int NewKeys(IReadOnlyList<MinuteCountRow> rows) => rows
        .Select(r => (Key: new AdKey(r.AdId, r.Shard), Minute: MinuteBucket.Of(r.Minute)))
        .Distinct()
        .Count(k => !_rows.TryGetValue(k.Key, out var minutes) || !minutes.ContainsKey(k.Minute));

    private readonly record struct PendingRow(MinuteCountRow Row, DateTimeOffset Since);
}
