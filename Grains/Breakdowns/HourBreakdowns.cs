using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Breakdowns;

/// <summary>
/// The absolute billable counts of one ad shard per UTC hour, breakdown dimension and value, as far as this activation
/// knows them: <see cref="Ads.MinuteCounts"/> per hour. An hour is either known (recounted from the raw store once,
/// then kept exact by adding each newly accepted event) or unknown; only known hours can be added to or flushed. Only
/// the shard's own grain writes its raw events, so an hour that a recount of every minute from before it found empty
/// is known to be empty without a read (<see cref="KnowEmptyFrom"/>).
/// </summary>
public sealed class HourBreakdowns
{
    private readonly Dictionary<DateTimeOffset, Dictionary<(BreakdownDimension Dimension, string Value), Entry>> _hours = [];

    // Hours from this one onwards that are not held are known to be empty, except those in _notEmpty.
    private DateTimeOffset? _emptyFrom;
    private readonly HashSet<DateTimeOffset> _notEmpty = [];

    /// <summary>(Hour, dimension, value) entries with counts not yet written to the aggregate store.</summary>
    public int DirtyCount { get; private set; }

    /// <summary>True when the hour's breakdowns are known to this activation.</summary>
    public bool IsKnown(DateTimeOffset hour) => _hours.ContainsKey(hour) || (hour >= _emptyFrom && !_notEmpty.Contains(hour));

    /// <summary>
    /// Takes what a recount of every minute from <paramref name="from"/> onwards found: each hour from the first one
    /// starting at or after it is known to be empty, except the hours of <paramref name="minutesWithEvents"/>, which stay
    /// unknown until recounted.
    /// </summary>
    public void KnowEmptyFrom(DateTimeOffset from, IEnumerable<DateTimeOffset> minutesWithEvents)
    {
        var firstWholeHour = MinuteBucket.Truncate(from.AddTicks(TimeSpan.TicksPerHour - 1), Granularity.Hour);
        _notEmpty.UnionWith(minutesWithEvents
            .Select(m => MinuteBucket.Truncate(m, Granularity.Hour))
            .Where(hour => hour >= firstWholeHour && !_hours.ContainsKey(hour)));
        _emptyFrom = firstWholeHour;
    }

    /// <summary>
    /// Sets an hour to its recount. A value needs writing when it has counts that differ from what was written, and
    /// every value does when <paramref name="rewrite"/> (a repair overwrites whatever the store holds), including the
    /// values held before that the recount no longer has, written as zero.
    /// </summary>
    public void Load(DateTimeOffset hour, IEnumerable<BreakdownTally> tallies, bool rewrite = false)
    {
        _hours.TryGetValue(hour, out var old);
        var entries = new Dictionary<(BreakdownDimension, string), Entry>();
        foreach (var tally in tallies)
        {
            var key = (tally.Dimension, tally.Value);
            var written = old is not null && old.TryGetValue(key, out var was) && !was.Dirty && was.Clicks == tally.Clicks && was.Impressions == tally.Impressions;
            entries[key] = new Entry(tally.Clicks, tally.Impressions, Dirty: rewrite || (!written && tally.Clicks + tally.Impressions > 0));
        }

        if (old is not null)
        {
            DirtyCount -= old.Values.Count(e => e.Dirty);
            if (rewrite)
            {
                foreach (var key in old.Keys.Where(k => !entries.ContainsKey(k)))
                {
                    entries[key] = new Entry(0, 0, Dirty: true);
                }
            }
        }

        DirtyCount += entries.Values.Count(e => e.Dirty);
        _hours[hour] = entries;
        _notEmpty.Remove(hour);
    }

    /// <summary>Adds one newly accepted billable event to its known hour, once in each dimension.</summary>
    public void Add(AdEvent adEvent)
    {
        var hour = BreakdownValues.HourOf(adEvent);
        if (!IsKnown(hour))
        {
            throw new InvalidOperationException($"Hour {hour:O} is not known; recount it before adding.");
        }

        if (!_hours.TryGetValue(hour, out var entries))
        {
            entries = [];
            _hours.Add(hour, entries);
        }

        foreach (var dimension in BreakdownValues.Dimensions)
        {
            var key = (dimension, BreakdownValues.Of(adEvent, dimension));
            entries.TryGetValue(key, out var entry);
            if (!entry.Dirty)
            {
                DirtyCount++;
            }

            entries[key] = adEvent.Kind == AdEventKind.Click
                ? entry with { Clicks = entry.Clicks + 1, Dirty = true }
                : entry with { Impressions = entry.Impressions + 1, Dirty = true };
        }
    }

    /// <summary>The entries that need writing, with their absolute counts.</summary>
    public IReadOnlyList<DirtyBreakdown> Dirty() =>
        [.. _hours.SelectMany(h => h.Value.Where(e => e.Value.Dirty).Select(e => new DirtyBreakdown(h.Key, e.Key.Dimension, e.Key.Value, e.Value.Clicks, e.Value.Impressions)))];

    /// <summary>Marks entries written, unless they changed since <paramref name="written"/> was taken.</summary>
    public void MarkWritten(IEnumerable<DirtyBreakdown> written)
    {
        foreach (var w in written)
        {
            if (_hours.TryGetValue(w.Hour, out var entries) && entries.TryGetValue((w.Dimension, w.Value), out var entry)
                && entry.Dirty && entry.Clicks == w.Clicks && entry.Impressions == w.Impressions)
            {
                entries[(w.Dimension, w.Value)] = entry with { Dirty = false };
                DirtyCount--;
            }
        }
    }

    /// <summary>Forgets the hours before <paramref name="cutoff"/> (an hour start) that are wholly written; a late event recounts them again.</summary>
    public void ForgetWrittenBefore(DateTimeOffset cutoff)
    {
        // A forgotten hour is not empty: the known-empty horizon moves past it.
        if (_emptyFrom < cutoff)
        {
            _emptyFrom = cutoff;
        }

        _notEmpty.RemoveWhere(hour => hour < cutoff);
        foreach (var (hour, entries) in _hours)
        {
            if (hour < cutoff && !entries.Values.Any(e => e.Dirty))
            {
                _hours.Remove(hour);
            }
        }
    }

    private readonly record struct Entry(long Clicks, long Impressions, bool Dirty);
}
