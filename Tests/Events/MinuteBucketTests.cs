using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Tests.Events;

public sealed class MinuteBucketTests
{
    [Fact]
    public void Of_TimeWithOffset_IsStartOfUtcMinute()
    {
        var time = new DateTimeOffset(2026, 11, 28, 11, 30, 59, 999, TimeSpan.FromHours(1));

        var minute = MinuteBucket.Of(time);

        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 30, 0, TimeSpan.Zero), minute);
        Assert.Equal(TimeSpan.Zero, minute.Offset);
    }

    [Fact]
    public void Of_ExactMinute_IsItself()
    {
        var time = new DateTimeOffset(2026, 11, 28, 10, 30, 0, TimeSpan.Zero);

        Assert.Equal(time, MinuteBucket.Of(time));
    }

    [Theory]
    [InlineData(Granularity.Minute, "2026-11-28T10:31:00Z")]
    [InlineData(Granularity.Hour, "2026-11-28T10:00:00Z")]
    [InlineData(Granularity.Day, "2026-11-28T00:00:00Z")]
    public void Truncate_ToGranularity_AlignsToUtc(Granularity granularity, string expected)
    {
        var time = new DateTimeOffset(2026, 11, 28, 12, 31, 45, TimeSpan.FromHours(2));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), MinuteBucket.Truncate(time, granularity));
    }
}
