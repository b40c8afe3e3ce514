using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// The in-memory dedup registry and per-minute billable tallies of the embedded raw click store,
/// rebuilt from the segments at open. Used by one thread at a time (the writer loop).
/// </summary>
internal sealed class RawClickIndex(TimeSpan forgetAfterExpiry)
{
    // Value: the token's expiry in UTC ticks, which tells when the id may be forgotten.
    private readonly Dictionary<(AdEventKind Kind, Guid ImpressionId), long> _registry = [];
    private readonly Dictionary<AdKey, Dictionary<long, MinuteTally>> _tallies = [];

    // Which ad shards have billable events in each UTC hour (in ticks), per ad slice, for reconciliation.
    private readonly Dictionary<(long Hour, int Slice), SortedSet<string>> _activeAds = [];

    public int RegisteredIds => _registry.Count;

    /// <summary>
    /// True when the id may already have been forgotten: such an event cannot be proven new, and its
    /// token is long expired, so refusing it can only under-count, never double count.
    /// </summary>
    public bool IsTooOld(AdEvent e, DateTimeOffset now) => e.TokenExpiresAt + forgetAfterExpiry < now;

    public bool TryRegister(AdEvent e) => _registry.TryAdd((e.Kind, e.ImpressionId), e.TokenExpiresAt.UtcTicks);

    public void Unregister(AdEvent e) => _registry.Remove((e.Kind, e.ImpressionId));

    public void Tally(AdKey key, AdEvent e)
    {
        if (!e.Billable)
        {
            return;
        }

        if (!_tallies.TryGetValue(key, out var minutes))
        {
            minutes = [];
            _tallies.Add(key, minutes);
        }

        var minute = e.Minute;
        if (!minutes.ContainsKey(minute.UtcTicks))
        {
            // An ad's first event of a minute is the only one that can be its first of the hour.
            MarkActive(key, minute);
        }

        var tally = minutes.GetValueOrDefault(minute.UtcTicks, new MinuteTally(minute, 0, 0));
        minutes[minute.UtcTicks] = e.Kind == AdEventKind.Click
            ? tally with { Clicks = tally.Clicks + 1 }
            : tally with { Impressions = tally.Impressions + 1 };
    }

    /// <summary>The tallies of <paramref name="key"/> for the minutes starting in [from, to), in time order.</summary>
    public IReadOnlyList<MinuteTally> Count(AdKey key, DateTimeOffset from, DateTimeOffset to)
    {
        if (!_tallies.TryGetValue(key, out var minutes) || from >= to)
        {
            return [];
        }

        var first = MinuteBucket.Of(from).UtcTicks;
        if (first < from.UtcTicks)
        {
            first += TimeSpan.TicksPerMinute;
        }

        var end = to.UtcTicks;
        // Step through the range when it is short (an hour being reconciled); scan the ad's minutes otherwise.
        if ((end - first) / TimeSpan.TicksPerMinute <= minutes.Count)
        {
            var result = new List<MinuteTally>();
            for (var ticks = first; ticks < end; ticks += TimeSpan.TicksPerMinute)
            {
                if (minutes.TryGetValue(ticks, out var tally))
                {
                    result.Add(tally);
                }
            }

            return result;
        }

        return [.. minutes.Where(m => m.Key >= first && m.Key < end).OrderBy(m => m.Key).Select(m => m.Value)];
    }

    private void MarkActive(AdKey key, DateTimeOffset minute)
    {
        var hour = MinuteBucket.Truncate(minute, Granularity.Hour).UtcTicks;
        var slice = AdSlice.Of(key.AdId);
        if (!_activeAds.TryGetValue((hour, slice), out var active))
        {
            active = new SortedSet<string>(StringComparer.Ordinal);
            _activeAds.Add((hour, slice), active);
        }

        active.Add(key.ToString());
    }

    /// <summary>The ad shards of <paramref name="slice"/> with billable events in the hour starting at <paramref name="hour"/>.</summary>
    public IReadOnlyList<AdKey> ActiveAds(DateTimeOffset hour, int slice) =>
        _activeAds.TryGetValue((hour.UtcTicks, slice), out var active)
            ? [.. active.Select(k => AdKey.TryParse(k, out var key) ? key : throw new InvalidOperationException($"Bad ad key '{k}' in the index."))]
            : [];

    /// <summary>Forgets the ids whose token expired more than the margin before <paramref name="now"/>.</summary>
    public int Prune(DateTimeOffset now)
    {
        var limit = (now - forgetAfterExpiry).UtcTicks;
        var forgotten = 0;
        foreach (var (id, expiresAt) in _registry)
        {
            if (expiresAt < limit && _registry.Remove(id))
            {
                forgotten++;
            }
        }

        return forgotten;
    }
}
