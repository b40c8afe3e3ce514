using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Ads;

/// <summary>
/// The absolute counts of one ad shard per UTC minute (billable clicks, impressions, and invalid clicks by reason),
/// as far as this activation knows them.
/// A minute is either known (recounted from the raw store once, then kept exact by adding each
/// newly accepted event) or unknown; only known minutes can be added to or flushed. Only the shard's
/// own grain writes its raw events, so after a recount of every minute from some minute onwards,
/// each later minute not held here is known to be zero: it needs no read of the raw store.
/// </summary>
public sealed class MinuteCounts
{
    private readonly Dictionary<DateTimeOffset, Entry> _minutes = [];

    // Minutes from this one onwards that are not held are known to be zero; null until a recount says so.
    private DateTimeOffset? _zeroFrom;

    /// <summary>Minutes with counts not yet written to the aggregate store.</summary>
    public int DirtyCount { get; private set; }

    /// <summary>True when <paramref name="adEvent"/> counts in a minute: billable, or an invalid click.</summary>
    public static bool IsCounted(AdEvent adEvent) => adEvent.Billable || InvalidClickCounts.Counts(adEvent);

    /// <summary>True when the minute's count is known to this activation.</summary>
    public bool IsKnown(DateTimeOffset minute) => _minutes.ContainsKey(minute) || minute >= _zeroFrom;

    /// <summary>The first minute from which every minute not held is known to be zero, or null.</summary>
    public DateTimeOffset? ZeroFrom => _zeroFrom;

    /// <summary>Sets a minute to a recounted value; it needs writing when it has any count, or when <paramref name="writeZero"/>.</summary>
    public void Load(DateTimeOffset minute, long clicks, long impressions, bool writeZero = false) =>
        Load(new MinuteTally(minute, clicks, impressions), writeZero);

    /// <summary>Sets the tally's minute to its recounted value; it needs writing when it has any count, or when <paramref name="writeZero"/>.</summary>
    public void Load(MinuteTally tally, bool writeZero = false)
    {
        var minute = tally.Minute;
        var entry = new Entry(tally.Clicks, tally.Impressions, tally.InvalidClicks, Dirty: writeZero || !tally.IsEmpty);
        if (_minutes.TryGetValue(minute, out var old) && old.Dirty)
        {
            DirtyCount--;
        }

        _minutes[minute] = entry;
        if (entry.Dirty)
        {
            DirtyCount++;
        }
    }

    /// <summary>
    /// Takes the recount of every minute from <paramref name="from"/> onwards: the minutes of <paramref name="tallies"/>
    /// are held, every other minute from <paramref name="from"/> on is known to be zero.
    /// </summary>
    public void LoadFrom(DateTimeOffset from, IEnumerable<MinuteTally> tallies)
    {
        foreach (var tally in tallies.Where(t => t.Minute >= from))
        {
            Load(tally);
        }

        _zeroFrom = from;
    }

    /// <summary>
    /// Adds one newly accepted event to its known minute: a billable one to its kind's count, an invalid click to its
    /// reason's (<see cref="InvalidClickCounts.Counts(AdEvent)"/>); any other event counts nowhere.
    /// </summary>
    public void Add(AdEvent adEvent)
    {
        var minute = adEvent.Minute;
        if (!IsKnown(minute))
        {
            throw new InvalidOperationException($"Minute {minute:O} is not known; recount it before adding.");
        }

        if (!IsCounted(adEvent))
        {
            return;
        }

        var invalidClick = !adEvent.Billable;

        // A known minute that is not held is zero, and clean.
        _minutes.TryGetValue(minute, out var entry);
        if (!entry.Dirty)
        {
            DirtyCount++;
        }

        _minutes[minute] = invalidClick
            ? entry with { InvalidClicks = entry.InvalidClicks.Add(adEvent.ReasonOf()), Dirty = true }
            : adEvent.Kind == AdEventKind.Click
                ? entry with { Clicks = entry.Clicks + 1, Dirty = true }
                : entry with { Impressions = entry.Impressions + 1, Dirty = true };
    }

    /// <summary>The minutes that need writing, with their absolute counts.</summary>
    public IReadOnlyList<MinuteTally> Dirty() =>
        [.. _minutes.Where(m => m.Value.Dirty).Select(m => new MinuteTally(m.Key, m.Value.Clicks, m.Value.Impressions, m.Value.InvalidClicks))];

    /// <summary>Marks minutes written, unless they changed since <paramref name="written"/> was taken.</summary>
    public void MarkWritten(IEnumerable<MinuteTally> written)
    {
        foreach (var (minute, clicks, impressions, invalidClicks) in written)
        {
            if (_minutes.TryGetValue(minute, out var entry) && entry.Dirty && entry.Clicks == clicks && entry.Impressions == impressions && entry.InvalidClicks == invalidClicks)
            {
                _minutes[minute] = entry with { Dirty = false };
                DirtyCount--;
            }
        }
    }

    /// <summary>Forgets written minutes before <paramref name="cutoff"/>; a late event recounts them again.</summary>
    public void ForgetWrittenBefore(DateTimeOffset cutoff)
    {
        // A forgotten minute is not zero: the known-zero horizon moves past it.
        if (_zeroFrom < cutoff)
        {
            _zeroFrom = cutoff;
        }

        foreach (var (minute, entry) in _minutes)
        {
            if (minute < cutoff && !entry.Dirty)
            {
                _minutes.Remove(minute);
            }
        }
    }

    private readonly record struct Entry(long Clicks, long Impressions, InvalidClickCounts InvalidClicks, bool Dirty);
}
