using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.AdClicks.Api.Beacons;

namespace Orleans.AdClicks.Tests.Api;

public sealed class BeaconDeadlinesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Next_BeaconsOfOneTick_ShareOneTokenAndTheNextTickGetsAnother()
    {
        using var deadlines = Create();

        var first = deadlines.Next();
        _time.Advance(BeaconDeadlines.Tick / 10);
        var sameTick = deadlines.Next();
        _time.Advance(BeaconDeadlines.Tick);
        var nextTick = deadlines.Next();

        Assert.Equal(first, sameTick);
        Assert.NotEqual(first, nextTick);
    }

    [Fact]
    public void Next_Token_CancelledNotBeforeTheDeadlineAndAtMostATickAfterIt()
    {
        using var deadlines = Create();
        var token = deadlines.Next();

        _time.Advance(Deadline - TimeSpan.FromMilliseconds(1));
        var beforeDeadline = token.IsCancellationRequested;
        _time.Advance(BeaconDeadlines.Tick + TimeSpan.FromMilliseconds(1));

        Assert.False(beforeDeadline);
        Assert.True(token.IsCancellationRequested);
    }

    private BeaconDeadlines Create() => new(Options.Create(new BeaconOptions { Deadline = Deadline }), _time);
}
