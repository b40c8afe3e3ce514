using Orleans.AdClicks.Ads;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Tests.Ads;

public sealed class MinuteCountsTests
{
    private static readonly DateTimeOffset Minute = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static AdEvent Event(AdEventKind kind, DateTimeOffset at) =>
        new(kind, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), at, at, at.AddDays(1), true, null, null);

    private static AdEvent Invalid(AdEventKind kind, DateTimeOffset at, InvalidTrafficReason reason, DateTimeOffset? expiresAt = null) =>
        new(kind, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), at, at.AddDays(-1), expiresAt ?? at.AddDays(1), false, null, null, reason);

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

        Assert.Equal([new MinuteTally(Minute, 3, 6)], counts.Dirty());
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

        Assert.Equal([new MinuteTally(Minute.AddMinutes(1), 0, 0)], dirty);
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
        Assert.Equal([new MinuteTally(Minute.AddMinutes(1), 4, 0)], counts.Dirty());
    }

    [Fact]
    public void Add_MinuteAfterTheRecount_CountsFromZero()
    {
        var counts = new MinuteCounts();
        counts.LoadFrom(Minute, []);

        counts.Add(Event(AdEventKind.Click, Minute.AddMinutes(30)));

        Assert.Equal([new MinuteTally(Minute.AddMinutes(30), 1, 0)], counts.Dirty());
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

        Assert.Equal([new MinuteTally(Minute, 2, 0)], counts.Dirty());
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

    [Fact]
    public void Add_InvalidClicks_CountedByReasonBesideTheBillableCounts()
    {
        var counts = new MinuteCounts();
        counts.Load(new MinuteTally(Minute, 1, 0, new InvalidClickCounts(0, 2, 0, 0, 0)));

        counts.Add(Invalid(AdEventKind.Click, Minute, InvalidTrafficReason.KnownCrawler));
        counts.Add(Invalid(AdEventKind.Click, Minute, InvalidTrafficReason.CampaignFlood));
        counts.Add(Invalid(AdEventKind.Click, Minute, InvalidTrafficReason.ExpiredToken, expiresAt: Minute.AddHours(-1)));
        counts.Add(Invalid(AdEventKind.Impression, Minute, InvalidTrafficReason.KnownCrawler));
        counts.Add(Invalid(AdEventKind.Click, Minute, InvalidTrafficReason.ExpiredToken, expiresAt: Minute.AddDays(-2)));

        Assert.Equal([new MinuteTally(Minute, 1, 0, new InvalidClickCounts(1, 3, 0, 0, 1))], counts.Dirty());
    }

    [Fact]
    public void MarkWritten_InvalidClicksChangedSinceSnapshot_StaysDirty()
    {
        var counts = new MinuteCounts();
        counts.Load(Minute, 0, 0);
        counts.Add(Invalid(AdEventKind.Click, Minute, InvalidTrafficReason.TooEarly));
        var snapshot = counts.Dirty();

        counts.Add(Invalid(AdEventKind.Click, Minute, InvalidTrafficReason.TooEarly));
        counts.MarkWritten(snapshot);

        Assert.Equal([new MinuteTally(Minute, 0, 0, new InvalidClickCounts(0, 0, 2, 0, 0))], counts.Dirty());
    }

    [Fact]
    public void Load_OnlyInvalidClicks_NeedsWriting()
    {
        var counts = new MinuteCounts();

        counts.LoadFrom(Minute, [new MinuteTally(Minute, 0, 0, new InvalidClickCounts(0, 0, 0, 1, 0))]);

        Assert.Equal(1, counts.DirtyCount);
    }
}
