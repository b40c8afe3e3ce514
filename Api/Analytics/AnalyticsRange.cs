using System.Globalization;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Analytics;

/// <summary>
/// A validated [from, to) range in whole UTC buckets: from is rounded down and to up to the
/// granularity, so every bucket is whole; at most <see cref="MaxBuckets"/> buckets per answer.
/// </summary>
public sealed record AnalyticsRange(DateTimeOffset From, DateTimeOffset To, Granularity Granularity)
{
    public const int MaxBuckets = 1440;

    /// <summary>
    /// The times a query may name: from the Unix epoch (where KQL's bin() aligns buckets) to the start of year 9999,
    /// so rounding up, the default range back from "to" and the previous period never leave the calendar.
    /// </summary>
    public static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch;

    public static readonly DateTimeOffset Latest = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static AnalyticsRange? Parse(
        string? from, string? to, string? granularity, DateTimeOffset now, Validation validation, int maxBuckets = MaxBuckets, int? defaultBuckets = null)
    {
        var size = Granularity.Hour;
        if (granularity is not null && !TryParseGranularity(granularity, out size))
        {
            validation.Add("granularity", "'granularity' is minute, hour or day.");
        }

        var toTime = ParseTime("to", to, validation) ?? now;
        var fromTime = ParseTime("from", from, validation);
        if (!validation.IsValid)
        {
            return null;
        }

        var ticks = MinuteBucket.TicksPer(size);
        var end = MinuteBucket.Truncate(toTime, size);
        if (end < toTime)
        {
            end = end.AddTicks(ticks);
        }

        var start = MinuteBucket.Truncate(fromTime ?? end.AddTicks(-ticks * (defaultBuckets ?? DefaultBuckets(size))), size);
        if (start >= end)
        {
            validation.Add("from", "'from' must be before 'to'.");
        }
        else if ((end - start).Ticks / ticks > maxBuckets)
        {
            validation.Add("from", $"The range holds more than {maxBuckets} buckets of a {size.ApiName()}; narrow it or choose a larger granularity.");
        }

        return validation.IsValid ? new AnalyticsRange(start, end, size) : null;
    }

    /// <summary>The range as long, ending where this one starts: as many whole buckets of the same size.</summary>
    public AnalyticsRange Previous() => this with { From = From - (To - From), To = From };

    /// <summary>Every bucket start in the range, oldest first.</summary>
    public IEnumerable<DateTimeOffset> Buckets()
    {
        var ticks = MinuteBucket.TicksPer(Granularity);
        for (var start = From; start < To; start = start.AddTicks(ticks))
        {
            yield return start;
        }
    }

    private static bool TryParseGranularity(string text, out Granularity granularity)
    {
        granularity = text.ToLowerInvariant() switch
        {
            "minute" => Granularity.Minute,
            "hour" => Granularity.Hour,
            "day" => Granularity.Day,
            _ => (Granularity)(-1),
        };
        return Enum.IsDefined(granularity);
    }

    private static int DefaultBuckets(Granularity granularity) => granularity switch
    {
        Granularity.Minute => 60,
        Granularity.Hour => 24,
        _ => 30,
    };

    private static DateTimeOffset? ParseTime(string field, string? text, Validation validation)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            if (time >= Earliest && time < Latest)
            {
                return time;
            }

            validation.Add(field, $"'{field}' is a time from {Earliest:yyyy-MM-dd} to before {Latest:yyyy-MM-dd}.");
            return null;
        }

        validation.Add(field, $"'{field}' is an ISO 8601 time, e.g. 2026-11-28T10:00:00Z.");
        return null;
    }
}
