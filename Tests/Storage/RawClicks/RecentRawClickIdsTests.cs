using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Tests.Storage.RawClicks;

public sealed class RecentRawClickIdsTests
{
    [Fact]
    public void AddRange_PastCapacity_ForgetsOldestGenerationOnly()
    {
        var ids = new RecentRawClickIds(capacity: 4);
        var events = Enumerable.Range(0, 6).Select(_ => Click(Guid.NewGuid())).ToList();

        ids.AddRange(events);

        Assert.Equal([false, false, true, true, true, true], events.Select(ids.Contains));
        Assert.False(ids.Contains(events[2] with { Kind = AdEventKind.Impression }));
    }

    [Fact]
    public void AddRange_CapacityZero_RemembersNothing()
    {
        var ids = new RecentRawClickIds(capacity: 0);
        var click = Click(Guid.NewGuid());

        ids.AddRange([click]);

        Assert.False(ids.Contains(click));
    }

    private static AdEvent Click(Guid impressionId) =>
        new(AdEventKind.Click, impressionId, Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, true, null, null);
}
