using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Tests.Storage.RawClicks;

public sealed class RecentSetTests
{
    [Fact]
    public void AddRange_PastCapacity_ForgetsOldestGenerationOnly()
    {
        var recent = new RecentSet<Guid>(capacity: 4);
        var ids = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToList();

        recent.AddRange(ids);

        Assert.Equal([false, false, true, true, true, true], ids.Select(recent.Contains));
        Assert.False(recent.Contains(Guid.NewGuid()));
    }

    [Fact]
    public void AddRange_CapacityZero_RemembersNothing()
    {
        var recent = new RecentSet<Guid>(capacity: 0);
        var id = Guid.NewGuid();

        recent.AddRange([id]);

        Assert.False(recent.Contains(id));
    }
}
