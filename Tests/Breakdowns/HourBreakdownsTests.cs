using Orleans.AdClicks.Breakdowns;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Tests.Breakdowns;

public sealed class HourBreakdownsTests
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static AdEvent Event(AdEventKind kind, DateTimeOffset at, string? device = "mobile", string? browser = "Chrome Mobile", string? os = "Android", string? country = "DE") =>
        new(kind, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), at, at, at.AddDays(1), true, null, null, Device: device, Browser: browser, Os: os, Country: country);

    [Fact]
    public void Add_UnknownHour_Throws()
    {
        var breakdowns = new HourBreakdowns();

        Assert.Throws<InvalidOperationException>(() => breakdowns.Add(Event(AdEventKind.Click, Hour)));
    }

    [Fact]
    public void Add_KnownHour_CountsOnceInEachDimension()
    {
        var breakdowns = new HourBreakdowns();
        breakdowns.Load(Hour, [new BreakdownTally(Hour, BreakdownDimension.Device, "mobile", 2, 3)]);

        breakdowns.Add(Event(AdEventKind.Click, Hour.AddMinutes(59)));
        breakdowns.Add(Event(AdEventKind.Impression, Hour, country: null));

        Assert.Equal(
            [
                new DirtyBreakdown(Hour, BreakdownDimension.Browser, "Chrome Mobile", 1, 1),
                new DirtyBreakdown(Hour, BreakdownDimension.Country, "DE", 1, 0),
                new DirtyBreakdown(Hour, BreakdownDimension.Country, BreakdownValues.Unknown, 0, 1),
                new DirtyBreakdown(Hour, BreakdownDimension.Device, "mobile", 3, 4),
                new DirtyBreakdown(Hour, BreakdownDimension.Os, "Android", 1, 1),
            ],
            breakdowns.Dirty().OrderBy(d => d.Dimension.ToString(), StringComparer.Ordinal).ThenBy(d => d.Value, StringComparer.Ordinal));
        Assert.Equal(5, breakdowns.DirtyCount);
    }

    [Fact]
    public void KnowEmptyFrom_HoursAfterTheRecountStart_KnownWithoutARead_ExceptThoseWithEvents()
    {
        var breakdowns = new HourBreakdowns();

        breakdowns.KnowEmptyFrom(Hour.AddMinutes(51), [Hour.AddMinutes(55), Hour.AddHours(2).AddMinutes(3)]);

        Assert.False(breakdowns.IsKnown(Hour));
        Assert.True(breakdowns.IsKnown(Hour.AddHours(1)));
        Assert.False(breakdowns.IsKnown(Hour.AddHours(2)));
        Assert.True(breakdowns.IsKnown(Hour.AddHours(3)));
    }

    [Fact]
    public void KnowEmptyFrom_AtAnHourStart_ThatHourIsKnown()
    {
        var breakdowns = new HourBreakdowns();

        breakdowns.KnowEmptyFrom(Hour, []);

        Assert.True(breakdowns.IsKnown(Hour));
        Assert.False(breakdowns.IsKnown(Hour.AddHours(-1)));
    }

    [Fact]
    public void Load_SameCountsAsWritten_StaysClean_ChangedOnesNeedWriting()
    {
        var breakdowns = new HourBreakdowns();
        breakdowns.Load(Hour, [new BreakdownTally(Hour, BreakdownDimension.Device, "mobile", 1, 0), new BreakdownTally(Hour, BreakdownDimension.Os, "iOS", 1, 0)]);
        breakdowns.MarkWritten(breakdowns.Dirty());

        breakdowns.Load(Hour, [new BreakdownTally(Hour, BreakdownDimension.Device, "mobile", 1, 0), new BreakdownTally(Hour, BreakdownDimension.Os, "iOS", 2, 0)]);

        Assert.Equal([new DirtyBreakdown(Hour, BreakdownDimension.Os, "iOS", 2, 0)], breakdowns.Dirty());
        Assert.Equal(1, breakdowns.DirtyCount);
    }

    [Fact]
    public void Load_Rewrite_WritesEveryValueAndZeroForValuesGone()
    {
        var breakdowns = new HourBreakdowns();
        breakdowns.Load(Hour, [new BreakdownTally(Hour, BreakdownDimension.Country, "DE", 1, 0), new BreakdownTally(Hour, BreakdownDimension.Country, "FR", 1, 0)]);
        breakdowns.MarkWritten(breakdowns.Dirty());

        breakdowns.Load(Hour, [new BreakdownTally(Hour, BreakdownDimension.Country, "DE", 1, 0)], rewrite: true);

        Assert.Equal(
            [new DirtyBreakdown(Hour, BreakdownDimension.Country, "DE", 1, 0), new DirtyBreakdown(Hour, BreakdownDimension.Country, "FR", 0, 0)],
            breakdowns.Dirty().OrderBy(d => d.Value, StringComparer.Ordinal));
        Assert.Equal(2, breakdowns.DirtyCount);
    }

    [Fact]
    public void MarkWritten_ChangedSinceTaken_StaysDirty()
    {
        var breakdowns = new HourBreakdowns();
        breakdowns.KnowEmptyFrom(Hour, []);
        breakdowns.Add(Event(AdEventKind.Click, Hour));
        var taken = breakdowns.Dirty();
        breakdowns.Add(Event(AdEventKind.Click, Hour, device: "tablet"));

        breakdowns.MarkWritten(taken);

        Assert.Equal(
            [
                new DirtyBreakdown(Hour, BreakdownDimension.Device, "tablet", 1, 0),
                new DirtyBreakdown(Hour, BreakdownDimension.Browser, "Chrome Mobile", 2, 0),
                new DirtyBreakdown(Hour, BreakdownDimension.Os, "Android", 2, 0),
                new DirtyBreakdown(Hour, BreakdownDimension.Country, "DE", 2, 0),
            ],
            breakdowns.Dirty().OrderBy(d => d.Dimension));
    }

    [Fact]
    public void ForgetWrittenBefore_ForgetsWrittenHours_KeepsDirtyOnes_AndTheyAreNoLongerKnownEmpty()
    {
        var breakdowns = new HourBreakdowns();
        breakdowns.KnowEmptyFrom(Hour, []);
        breakdowns.Add(Event(AdEventKind.Click, Hour));
        breakdowns.MarkWritten(breakdowns.Dirty());
        breakdowns.Add(Event(AdEventKind.Click, Hour.AddHours(1)));

        breakdowns.ForgetWrittenBefore(Hour.AddHours(2));

        Assert.False(breakdowns.IsKnown(Hour));
        Assert.True(breakdowns.IsKnown(Hour.AddHours(1)));
        Assert.Equal(4, breakdowns.DirtyCount);
        Assert.True(breakdowns.IsKnown(Hour.AddHours(2)));
    }
}
