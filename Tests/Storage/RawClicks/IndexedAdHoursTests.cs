using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Tests.Storage.RawClicks;

public sealed class IndexedAdHoursTests
{
    private static readonly DateTimeOffset Hour = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AddRange_PastCapacity_ForgetsOldestGenerationOnly()
    {
        var indexed = new IndexedAdHours(capacity: 4);
        var ads = Enumerable.Range(0, 6).Select(_ => new AdKey(Guid.NewGuid(), 0)).ToList();

        ads.ForEach(ad => indexed.AddRange([Hour], ad));

        Assert.Equal([false, false, true, true, true, true], ads.Select(ad => indexed.Contains(Hour, ad)));
        Assert.False(indexed.Contains(Hour.AddHours(1), ads[5]));
        Assert.False(indexed.Contains(Hour, ads[5] with { Shard = 1 }));
    }

    [Fact]
    public void AddRange_CapacityZero_RemembersNothing()
    {
        var indexed = new IndexedAdHours(capacity: 0);
        var ad = new AdKey(Guid.NewGuid(), 0);

        indexed.AddRange([Hour], ad);

        Assert.False(indexed.Contains(Hour, ad));
    }
}
