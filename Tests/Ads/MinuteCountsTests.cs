using Orleans.AdClicks.Ads;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Tests.Ads;

public sealed class MinuteCountsTests
{
    private static readonly DateTimeOffset Minute = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static AdEvent Event(AdEventKind kind, DateTimeOffset at) =>
        new(kind, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), at, at, at.AddDays(1), true, null, null);

    [Fact]
    public void Add_UnknownMinute_Throws()
    {
        var counts = new MinuteCounts();

        Assert.Throws<InvalidOperationException>(() => counts.Add(Event(AdEventKind.Click, Minute)));
    }

    [Fact]
    public void Add_KnownMinute_CountsPerKindAndMarksDirty()
    {
        var counts = new MinuteCounts();
        counts.Load(Minute, clicks: 2, impressions: 5);

        counts.Add(Event(AdEventKind.Click, Minute.AddSeconds(59)));
        counts.Add(Event(AdEventKind.Impression, Minute));

        Assert.Equal([(Minute, 3L, 6L)], counts.Dirty());
        Assert.Equal(1, counts.DirtyCount);
    }

    [Fact]
    public void Load_ZeroWithWriteZero_IsWrittenOnceAsZero()
    {
        var counts = new MinuteCounts();
        counts.Load(Minute, clicks: 0, impressions: 0);
        counts.Load(Minute.AddMinutes(1), clicks: 0, impressions: 0, writeZero: true);

        var dirty = counts.Dirty();
        counts.MarkWritten(dirty);

        Assert.Equal([(Minute.AddMinutes(1), 0L, 0L)], dirty);
        Assert.Equal(0, counts.DirtyCount);
    }

    [Fact]
    public void LoadFrom_LaterMinutesNotRecounted_AreKnownZeroAndClean()
    {
        var counts = new MinuteCounts();

        counts.LoadFrom(Minute, [new MinuteTally(Minute.AddMinutes(1), 4, 0)]);

        Assert.True(counts.IsKnown(Minute));
        Assert.True(counts.IsKnown(Minute.AddMinutes(2)));
        Assert.True(counts.IsKnown(Minute.AddDays(2)));
        Assert.False(counts.IsKnown(Minute.AddMinutes(-1)));
        Assert.Equal([(Minute.AddMinutes(1), 4L, 0L)], counts.Dirty());
    }

    [Fact]
    public void Add_MinuteAfterTheRecount_CountsFromZero()
    {
        var counts = new MinuteCounts();
        counts.LoadFrom(Minute, []);

        counts.Add(Event(AdEventKind.Click, Minute.AddMinutes(30)));

        Assert.Equal([(Minute.AddMinutes(30), 1L, 0L)], counts.Dirty());
        Assert.Throws<InvalidOperationException>(() => counts.Add(Event(AdEventKind.Click, Minute.AddMinutes(-1))));
    }

    [Fact]
    public void ForgetWrittenBefore_ForgottenMinute_IsUnknownNotZero()
    {
        var counts = new MinuteCounts();
        counts.LoadFrom(Minute, [new MinuteTally(Minute, 3, 0)]);
        counts.MarkWritten(counts.Dirty());

        counts.ForgetWrittenBefore(Minute.AddMinutes(2));

        Assert.False(counts.IsKnown(Minute));
        Assert.False(counts.IsKnown(Minute.AddMinutes(1)));
        Assert.True(counts.IsKnown(Minute.AddMinutes(2)));
        Assert.Equal(Minute.AddMinutes(2), counts.ZeroFrom);
    }

    [Fact]
    public void MarkWritten_ChangedSinceSnapshot_StaysDirty()
    {
        var counts = new MinuteCounts();
        counts.Load(Minute, 0, 0);
        counts.Add(Event(AdEventKind.Click, Minute));
        var snapshot = counts.Dirty();

        counts.Add(Event(AdEventKind.Click, Minute));
        counts.MarkWritten(snapshot);

        Assert.Equal([(Minute, 2L, 0L)], counts.Dirty());
    }

    [Fact]
    public void ForgetWrittenBefore_KeepsDirtyAndRecentMinutes()
    {
        var counts = new MinuteCounts();
        counts.Load(Minute, 1, 0);
        counts.MarkWritten(counts.Dirty());
        counts.Load(Minute.AddMinutes(1), 1, 0);
        counts.Load(Minute.AddMinutes(5), 0, 0);

        counts.ForgetWrittenBefore(Minute.AddMinutes(5));

        Assert.False(counts.IsKnown(Minute));
        Assert.True(counts.IsKnown(Minute.AddMinutes(1)));
        Assert.True(counts.IsKnown(Minute.AddMinutes(5)));
    }
}
