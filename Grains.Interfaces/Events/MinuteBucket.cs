using System.Runtime.CompilerServices;

namespace Orleans.AdClicks.Events;

/// <summary>Aligns event times to the UTC buckets that counts are kept and reported in.</summary>
public static class MinuteBucket
{
    /// <summary>The start of the UTC minute holding <paramref name="time"/>.</summary>
    public static DateTimeOffset Of(DateTimeOffset time)
    {
        var utcTicks = time.UtcTicks;
        return new DateTimeOffset(utcTicks - utcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
    }

    /// <summary>The start of the bucket of the given granularity holding <paramref name="time"/>.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time, Granularity granularity)
    {
        var ticksPerBucket = TicksPer(granularity);
        var utcTicks = time.UtcTicks;
        return new DateTimeOffset(utcTicks - utcTicks % ticksPerBucket, TimeSpan.Zero);
    }

    /// <summary>True when <paramref name="time"/> is the start of a UTC hour.</summary>
    public static bool IsHourStart(DateTimeOffset time) => time.UtcTicks % TimeSpan.TicksPerHour == 0;

    /// <summary>Throws unless <paramref name="time"/> is the start of a UTC hour.</summary>
    public static void ThrowIfNotHourStart(DateTimeOffset time, [CallerArgumentExpression(nameof(time))] string? name = null)
    {
        if (!IsHourStart(time))
        {
            throw new ArgumentException($"{time:O} does not start a UTC hour.", name);
        }
    }

    /// <summary>The length of one bucket in ticks.</summary>
    public static long TicksPer(Granularity granularity) => granularity switch
    {
        Granularity.Minute => TimeSpan.TicksPerMinute,
        Granularity.Hour => TimeSpan.TicksPerHour,
        Granularity.Day => TimeSpan.TicksPerDay,
        _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, null),
    };
}
