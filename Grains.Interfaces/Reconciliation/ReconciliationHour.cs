using System.Globalization;

namespace Orleans.AdClicks.Reconciliation;

/// <summary>Names the grains of one reconciled hour: "yyyyMMddHH" in UTC.</summary>
public static class ReconciliationHour
{
    private const string Format = "yyyyMMddHH";

    public static string Key(DateTimeOffset hour)
    {
        Events.MinuteBucket.ThrowIfNotHourStart(hour);
        return hour.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
    }

    public static DateTimeOffset Parse(string key) =>
        new(DateTime.ParseExact(key, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    /// <summary>The key of the worker of one slice of the hour: "yyyyMMddHH-xx".</summary>
    public static string SliceKey(DateTimeOffset hour, int slice) => $"{Key(hour)}-{Events.AdSlice.Prefix(slice)}";

    /// <summary>The hour and slice a <see cref="SliceKey"/> names.</summary>
    public static (DateTimeOffset Hour, int Slice) ParseSliceKey(string key)
    {
        var dash = key.IndexOf('-', StringComparison.Ordinal);
        return (Parse(key[..dash]), Convert.ToInt32(key[(dash + 1)..], 16));
    }
}
