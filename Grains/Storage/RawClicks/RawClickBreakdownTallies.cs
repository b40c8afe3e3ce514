using System.Runtime.InteropServices;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// The embedded raw click store's billable tallies per ad shard, UTC hour, breakdown dimension and value, kept beside
/// the minute tallies (per hour rather than per minute: a value table per minute would multiply the memory by 60) and
/// rebuilt from the segments at open like them. Used by one thread at a time (the writer loop); an event costs four
/// dictionary updates once its ad shard's hour is found.
/// </summary>
internal sealed class RawClickBreakdownTallies
{
    private readonly Dictionary<AdKey, Dictionary<long, Dictionary<(BreakdownDimension Dimension, string Value), Counts>>> _tallies = [];

    /// <summary>Counts a billable event timed at or after <paramref name="floor"/> in each dimension's value of its hour.</summary>
    public void Tally(AdKey key, AdEvent e, DateTimeOffset floor)
    {
        if (!e.Billable || e.Minute < floor)
        {
            return;
        }

        if (!_tallies.TryGetValue(key, out var hours))
        {
            hours = [];
            _tallies.Add(key, hours);
        }

        ref var values = ref CollectionsMarshal.GetValueRefOrAddDefault(hours, BreakdownValues.HourOf(e).UtcTicks, out _);
        values ??= [];
        var click = e.Kind == AdEventKind.Click;
        foreach (var dimension in BreakdownValues.Dimensions)
        {
            ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(values, (dimension, BreakdownValues.Of(e, dimension)), out _);
            counts = click ? counts with { Clicks = counts.Clicks + 1 } : counts with { Impressions = counts.Impressions + 1 };
        }
    }

    /// <summary>The tallies of <paramref name="key"/> for the hours starting in [fromHour, toHour), by hour, dimension and value.</summary>
    public IReadOnlyList<BreakdownTally> Count(AdKey key, DateTimeOffset fromHour, DateTimeOffset toHour)
    {
        if (!_tallies.TryGetValue(key, out var hours) || fromHour >= toHour)
        {
            return [];
        }

        var (first, end) = (fromHour.UtcTicks, toHour.UtcTicks);
        // Step through the range when it is short (the usual one hour); scan the ad's hours otherwise.
        var inRange = (end - first) / TimeSpan.TicksPerHour <= hours.Count
            ? Enumerable.Range(0, (int)((end - first) / TimeSpan.TicksPerHour)).Select(i => first + (i * TimeSpan.TicksPerHour)).Where(hours.ContainsKey)
            : hours.Keys.Where(h => h >= first && h < end).Order().AsEnumerable();
        return [.. inRange.SelectMany(hour => hours[hour]
            .OrderBy(v => v.Key.Dimension).ThenBy(v => v.Key.Value, StringComparer.Ordinal)
            .Select(v => new BreakdownTally(new DateTimeOffset(hour, TimeSpan.Zero), v.Key.Dimension, v.Key.Value, v.Value.Clicks, v.Value.Impressions)))];
    }

    /// <summary>Forgets the hours that ended at or before <paramref name="floorTicks"/>; returns how many (ad shard, hour) pairs.</summary>
    public int Prune(long floorTicks)
    {
        var pruned = 0;
        foreach (var (key, hours) in _tallies)
        {
            foreach (var hour in hours.Keys)
            {
                if (hour + TimeSpan.TicksPerHour <= floorTicks && hours.Remove(hour))
                {
                    pruned++;
                }
            }

            if (hours.Count == 0)
            {
                _tallies.Remove(key);
            }
        }

        return pruned;
    }

    private readonly record struct Counts(long Clicks, long Impressions);
}
