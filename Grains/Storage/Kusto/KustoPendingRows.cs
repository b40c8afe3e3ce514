using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// The rows a process has not yet ingested, one per ad shard and position (<see cref="KustoRowFormat{TRow, TPosition}"/>):
/// a newer version replaces a waiting row, an older one is ignored, and an ingested row leaves only if no newer version
/// came meanwhile. Thread-safe.
/// </summary>
internal sealed class KustoPendingRows<TRow, TPosition>(KustoRowFormat<TRow, TPosition> format, int maxRows)
    where TPosition : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<AdKey, Dictionary<TPosition, PendingRow>> _rows = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes the rows, unless that would hold more than the bound; returns how many rows wait then.</summary>
    /// <returns>False, taking none, when the new keys would not fit.</returns>
    public bool TryAdd(IReadOnlyList<TRow> rows, DateTimeOffset now, out int count)
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
                var key = format.Key(row);
                if (!_rows.TryGetValue(key, out var positions))
                {
                    _rows[key] = positions = [];
                }

                var position = format.Position(row);
                if (!positions.TryGetValue(position, out var waiting))
                {
                    positions[position] = new PendingRow(row, now);
                    _count++;
                }
                else if (format.Version(row) >= format.Version(waiting.Row))
                {
                    // The oldest change keeps its age: the one the metric should show.
                    positions[position] = waiting with { Row = row };
                }
            }

            count = _count;
            return true;
        }
    }

    /// <summary>A copy of every waiting row.</summary>
    public TRow[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _rows.Values.SelectMany(positions => positions.Values).Select(p => p.Row)];
        }
    }

    /// <summary>Removes the ingested rows whose version still is the waiting one.</summary>
    public void Ingested(IReadOnlyList<TRow> rows)
    {
        lock (_lock)
        {
            foreach (var row in rows)
            {
                var key = format.Key(row);
                var position = format.Position(row);
                // A newer version written while the request was in flight is not in ADX yet: it stays.
                if (_rows.TryGetValue(key, out var positions) && positions.TryGetValue(position, out var waiting) && format.Version(waiting.Row) == format.Version(row))
                {
                    positions.Remove(position);
                    _count--;
                    if (positions.Count == 0)
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
            return _rows.TryGetValue(key, out var positions) ? positions.Values.Max(p => format.Version(p.Row)) : null;
        }
    }

    /// <summary>When the oldest waiting change came; null when nothing waits.</summary>
    public DateTimeOffset? OldestSince()
    {
        DateTimeOffset? oldest = null;
        lock (_lock)
        {
            foreach (var waiting in _rows.Values.SelectMany(positions => positions.Values))
            {
                if (oldest is null || waiting.Since < oldest)
                {
                    oldest = waiting.Since;
                }
            }
        }

        return oldest;
    }

    private int NewKeys(IReadOnlyList<TRow> rows) => rows
        .Select(r => (Key: format.Key(r), Position: format.Position(r)))
        .Distinct()
        .Count(k => !_rows.TryGetValue(k.Key, out var positions) || !positions.ContainsKey(k.Position));

    private readonly record struct PendingRow(TRow Row, DateTimeOffset Since);
}
