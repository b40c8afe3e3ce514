using Orleans.AdClicks.Lists;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Lists;

/// <summary>Id lists on a real silo: bounded pages, every id once, in order, across page boundaries.</summary>
public sealed class IdListGrainTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        // In-memory grain state: the lists need nothing else, and 20,000 writes stay quick.
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage(Constants.GrainStore));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Add_10000Ids_EveryPageStaysWithinItsCapacityAndPagesReadBack()
    {
        var name = $"test/{Guid.NewGuid():N}";
        var list = _cluster.Client.GetGrain<IIdListGrain>(name);
        var ids = Enumerable.Range(0, 10_000).Select(_ => Guid.NewGuid()).ToList();

        var positions = new List<long>();
        foreach (var id in ids)
        {
            positions.Add(await list.AddAsync(id));
        }

        var counts = await Task.WhenAll(Enumerable.Range(0, 11).Select(p => _cluster.Client.GetGrain<IIdPageGrain>(IdLists.Page(name, p)).CountAsync()));
        Assert.All(counts, count => Assert.InRange(count, 0, IIdPageGrain.Capacity));
        Assert.Equal(10_000, counts.Sum());
        Assert.Equal(0, counts[10]);
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => (long)i), positions);
        var acrossPages = await list.ListAsync(995, 10);
        Assert.Equal(10_000, acrossPages.Total);
        Assert.Equal(ids[995..1005], acrossPages.Ids);
        Assert.Equal(ids[9_990..], (await list.ListAsync(9_990, 100)).Ids);
        Assert.Empty((await list.ListAsync(10_000, 100)).Ids);
    }

    [Fact]
    public async Task AddMany_SomeHeldAlreadyInEarlierPages_EachOnceInOrderWithCountsPerTag()
    {
        var list = _cluster.Client.GetGrain<IIdListGrain>($"test/{Guid.NewGuid():N}");
        var ids = Enumerable.Range(0, 2_500).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids[..1_200])
        {
            await list.AddAsync(id, tag: 1);
        }

        // A move cut short after 1,200 ids, made again from the start.
        await list.AddManyAsync(ids, [.. ids.Select((_, i) => i % 2)]);
        await list.AddManyAsync(ids[..10], [.. ids[..10].Select(_ => 0)]);

        var all = await list.ListAsync(0, 3_000);
        Assert.Equal(ids, all.Ids);
        Assert.Equal(2_500, all.Total);
        Assert.Equal(1_200 + 650, (await list.ListAsync(0, 0, tag: 1)).Total);
        Assert.Equal(650, (await list.ListAsync(0, 0, tag: 0)).Total);
        Assert.Equal(1_500L, await list.FindAsync(ids[1_500]));
    }

    [Fact]
    public async Task Add_SameIdAgain_SamePositionCountedOnce()
    {
        var list = _cluster.Client.GetGrain<IIdListGrain>($"test/{Guid.NewGuid():N}");
        var id = Guid.NewGuid();

        var first = await list.AddAsync(id);
        var again = await list.AddAsync(id);

        Assert.Equal(first, again);
        Assert.Equal(1, (await list.ListAsync(0, 10)).Total);
    }

    [Fact]
    public async Task ListTagged_AcrossPages_EachMatchOnceInOrderWithItsCount()
    {
        var list = _cluster.Client.GetGrain<IIdListGrain>($"test/{Guid.NewGuid():N}");
        var ids = Enumerable.Range(0, 2_500).Select(_ => Guid.NewGuid()).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            await list.AddAsync(ids[i], tag: 1);
        }

        // Every seventh id changes tag, so matches are spread over three pages.
        var tagged = ids.Where((_, i) => i % 7 == 0).ToList();
        for (var i = 0; i < ids.Count; i += 7)
        {
            await list.SetTagAsync(i, ids[i], 2);
        }

        var seen = new List<Guid>();
        for (var offset = 0; ; offset += 50)
        {
            var page = await list.ListAsync(offset, 50, tag: 2);
            Assert.Equal(tagged.Count, page.Total);
            if (page.Ids.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Ids);
        }

        Assert.Equal(tagged, seen);
        Assert.Equal(ids.Count - tagged.Count, (await list.ListAsync(0, 1, tag: 1)).Total);
    }
}
