using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// The in-memory dedup registry and per-minute tallies (billable events, invalid clicks by reason) of the embedded raw click store,
/// rebuilt from the segments at open. Used by one thread at a time (the writer loop).
/// Tallies and the hour index cover the last <c>retention</c> of event time, as the Azure store's tables do;
/// the registry covers ids whose token expired less than <c>forgetAfterExpiry</c> ago.
/// </summary>
internal sealed class RawClickIndex(TimeSpan forgetAfterExpiry, TimeSpan retention)
{
    // Value: the token's expiry in UTC ticks, which tells when the id may be forgotten.
    private readonly Dictionary<(AdEventKind Kind, Guid ImpressionId), long> _registry = [];
    private readonly Dictionary<AdKey, Dictionary<long, MinuteTally>> _tallies = [];

    // Which ad shards have counted events (billable, or invalid clicks) in each UTC hour (in ticks), per ad slice, for reconciliation.
    private readonly Dictionary<(long Hour, int Slice), SortedSet<string>> _activeAds = [];

    // Billable tallies per ad shard, hour and breakdown value, under the same retention as the minute tallies.
    private readonly RawClickBreakdownTallies _breakdowns = new();

    public int RegisteredIds => _registry.Count;

    /// <summary>
    /// True when the id may already have been forgotten: such an event cannot be proven new, and its
    /// token is long expired, so refusing it can only under-count, never double count.
    /// </summary>
    public bool IsTooOld(AdEvent e, DateTimeOffset now) => e.TokenExpiresAt + forgetAfterExpiry < now;

    public bool TryRegister(AdEvent e) => _registry.TryAdd((e.Kind, e.ImpressionId), e.TokenExpiresAt.UtcTicks);

    public void Unregister(AdEvent e) => _registry.Remove((e.Kind, e.ImpressionId));

    public void Tally(AdKey key, AdEvent e, DateTimeOffset now)
    {
        _breakdowns.Tally(key, e, now - retention);

        // Billable events and invalid clicks are tallied; other invalid traffic (impressions) is kept, counted nowhere.
        if (!(e.Billable || InvalidClickCounts.Counts(e)) || e.Minute < now - retention)
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
        minutes[minute.UtcTicks] = !e.Billable
            ? tally with { InvalidClicks = tally.InvalidClicks.Add(e.ReasonOf()) }
            : e.Kind == AdEventKind.Click
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

    /// <summary>The ad shards of <paramref name="slice"/> with counted events in the hour starting at <paramref name="hour"/>.</summary>
    public IReadOnlyList<AdKey> ActiveAds(DateTimeOffset hour, int slice) =>
        _activeAds.TryGetValue((hour.UtcTicks, slice), out var active)
            ? [.. active.Select(k => AdKey.TryParse(k, out var key) ? key : throw new InvalidOperationException($"Bad ad key '{k}' in the index."))]
            : [];

    /// <summary>
    /// Forgets the ids whose token expired more than the margin before <paramref name="now"/>, and the tallies
    /// and hour index entries of minutes more than the retention before it.
    /// </summary>
    public (int Ids, int Minutes) Prune(DateTimeOffset now)
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

        var floor = (now - retention).UtcTicks;
        var minutes = 0;
        foreach (var (key, tallies) in _tallies)
        {
            foreach (var minute in tallies.Keys)
            {
                if (minute < floor && tallies.Remove(minute))
                {
                    minutes++;
                }
            }

            if (tallies.Count == 0)
            {
                _tallies.Remove(key);
            }
        }

        _breakdowns.Prune(floor);
        foreach (var hour in _activeAds.Keys)
        {
            // An hour goes once its last minute has.
            if (hour.Hour + TimeSpan.TicksPerHour <= floor)
            {
                _activeAds.Remove(hour);
            }
        }

        return (forgotten, minutes);
    }

    /// <summary>How many ad shards and hour index entries are held, for tests of pruning.</summary>
    public (int AdShards, int Hours) Held => (_tallies.Count, _activeAds.Count);

    /// <summary>The breakdown tallies of <paramref name="key"/> for the hours starting in [fromHour, toHour).</summary>
    public IReadOnlyList<BreakdownTally> CountBreakdowns(AdKey key, DateTimeOffset fromHour, DateTimeOffset toHour) => _breakdowns.Count(key, fromHour, toHour);
}
