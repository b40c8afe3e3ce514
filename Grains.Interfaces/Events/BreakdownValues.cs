using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Events;

/// <summary>
/// The value an event is counted under in each breakdown dimension: the field its beacon enriched it with, or
/// <see cref="Unknown"/> when there is none (no user agent, no country database or an address it does not know, an
/// event recorded before enrichment) or uap-core did not recognise the user agent (its "Other" browser or OS).
/// Live counting and every recount use this one mapping, so they agree.
/// </summary>
public static class BreakdownValues
{
    /// <summary>The value of a missing or unrecognised field.</summary>
    public const string Unknown = "unknown";

    // uap-core's family when no rule matches.
    private const string UapOther = "Other";

    /// <summary>Every dimension, in the order an event is counted in them.</summary>
    public static readonly IReadOnlyList<BreakdownDimension> Dimensions = [BreakdownDimension.Device, BreakdownDimension.Browser, BreakdownDimension.Os, BreakdownDimension.Country];

    /// <summary>The value <paramref name="adEvent"/> is counted under in <paramref name="dimension"/>.</summary>
    public static string Of(AdEvent adEvent, BreakdownDimension dimension) => dimension switch
    {
        BreakdownDimension.Device => Normalize(dimension, adEvent.Device),
        BreakdownDimension.Browser => Normalize(dimension, adEvent.Browser),
        BreakdownDimension.Os => Normalize(dimension, adEvent.Os),
        _ => Normalize(dimension, adEvent.Country),
    };

    /// <summary>The value a stored field is counted under: <see cref="Unknown"/> for none, empty or uap-core's "Other" browser or OS.</summary>
    public static string Normalize(BreakdownDimension dimension, string? field) =>
        string.IsNullOrEmpty(field) || (dimension is BreakdownDimension.Browser or BreakdownDimension.Os && field == UapOther) ? Unknown : field;

    /// <summary>The UTC hour an event is counted in.</summary>
    public static DateTimeOffset HourOf(AdEvent adEvent) => MinuteBucket.Truncate(adEvent.Timestamp, Granularity.Hour);
}
