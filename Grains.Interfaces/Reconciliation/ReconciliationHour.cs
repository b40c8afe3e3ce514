using System.Globalization;

namespace Orleans.AdClicks.Reconciliation;

/// <summary>Names the grains of one reconciled hour: "yyyyMMddHH" in UTC.</summary>
public static class ReconciliationHour
{
    private const string Format = "yyyyMMddHH";

    /// <summary>True when <paramref name="time"/> is the start of a UTC hour.</summary>
    public static bool IsHourStart(DateTimeOffset time) => time.UtcTicks % TimeSpan.TicksPerHour == 0;

    /// <summary>The start of the UTC hour holding <paramref name="time"/>.</summary>
    public static DateTimeOffset Of(DateTimeOffset time) => new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);

    public static string Key(DateTimeOffset hour)
    {
        Events.MinuteBucket.ThrowIfNotHourStart(hour);
        return hour.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
    }

    public static DateTimeOffset Parse(string key) =>
        new(DateTime.ParseExact(key, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    /// <summary>The key of the worker of one slice of the hour: "yyyyMMddHH-xx".</summary>
    public static string SliceKey(DateTimeOffset hour, int slice) => $"{Key(hour)}-{Events.AdSlice.Prefix(slice)}";
}
