namespace Orleans.AdClicks.Lists;

/// <summary>
/// An id list of any length with bounded grain state: this grain counts, pages of
/// <see cref="IIdPageGrain.Capacity"/> ids hold the ids. Appends go to the last page; a page
/// answers a retried append with the index it already gave, so a count lost to a failed write
/// here is put right by the next append.
/// </summary>
public sealed class IdListGrain(
    [PersistentState("id-list", Constants.GrainStore)] IPersistentState<IdListGrainState> list)
    : Grain, IIdListGrain
{
    private const int Capacity = IIdPageGrain.Capacity;

    public async Task<long> AddAsync(Guid id, int tag = 0)
    {
        while (true)
        {
            var pageNumber = list.State.Count / Capacity;
            var index = await Page(pageNumber).AddAsync(id, tag);
            if (index < 0)
            {
                // The page filled up while this grain's count was behind (a failed write): move on.
                list.State.Count = (pageNumber + 1) * Capacity;
                continue;
            }

            var position = (pageNumber * Capacity) + index;
            if (position >= list.State.Count)
            {
                list.State.CountsByTag[tag] = list.State.CountsByTag.GetValueOrDefault(tag) + (position + 1 - list.State.Count);
                list.State.Count = position + 1;
                await list.WriteStateAsync();
            }

            return position;
        }
    }

    public async Task AddManyAsync(IReadOnlyList<Guid> ids, IReadOnlyList<int> tags)
    {
        // What the pages hold, read once: a page spots a repeat only among its own ids.
        var present = new HashSet<Guid>();
        for (var pageNumber = 0L; ; pageNumber++)
        {
            var held = await Page(pageNumber).ListAsync(0, Capacity);
            present.UnionWith(held);
            if (held.Count < Capacity)
            {
                break;
            }
        }

        var pending = Enumerable.Range(0, ids.Count).Where(i => present.Add(ids[i])).Select(i => (Id: ids[i], Tag: tags[i])).ToList();
        for (var next = 0; next < pending.Count;)
        {
            var pageNumber = list.State.Count / Capacity;
            var page = Page(pageNumber);
            var before = await page.CountAsync();
            var rest = pending[next..];
            var taken = await page.AddManyAsync([.. rest.Select(p => p.Id)], [.. rest.Select(p => p.Tag)]);
            foreach (var (_, tag) in rest.Take(taken))
            {
                list.State.CountsByTag[tag] = list.State.CountsByTag.GetValueOrDefault(tag) + 1;
            }

            // A page the count was behind on (a failed write) is counted as it is.
            list.State.Count = (pageNumber * Capacity) + before + taken;
            if (before + taken >= Capacity)
            {
                list.State.Count = (pageNumber + 1) * Capacity;
            }

            next += taken;
            await list.WriteStateAsync();
        }
    }

    public async Task SetTagAsync(long position, Guid id, int tag)
    {
        if (position < 0 || position >= list.State.Count)
        {
            return;
        }

        var previous = await Page(position / Capacity).SetTagAsync((int)(position % Capacity), id, tag);
        if (previous is { } old && old != tag)
        {
            list.State.CountsByTag[old] = Math.Max(0, list.State.CountsByTag.GetValueOrDefault(old) - 1);
            list.State.CountsByTag[tag] = list.State.CountsByTag.GetValueOrDefault(tag) + 1;
            await list.WriteStateAsync();
        }
    }

    public async Task<IdListPage> ListAsync(long offset, int limit, int? tag = null)
    {
        offset = Math.Max(0, offset);
        var ids = new List<Guid>(Math.Clamp(limit, 0, Capacity));
        if (tag is { } wanted)
        {
            // No index per tag: walk the pages in order, each filtering its own ids, until the page is full.
            var skip = offset;
            var pages = (list.State.Count + Capacity - 1) / Capacity;
            for (var pageNumber = 0L; pageNumber < pages && ids.Count < limit; pageNumber++)
            {
                var matches = await Page(pageNumber).ListTaggedAsync(wanted, skip, limit - ids.Count);
                ids.AddRange(matches.Ids);
                skip = Math.Max(0, skip - matches.Matches);
            }

            return new IdListPage(ids, list.State.CountsByTag.GetValueOrDefault(wanted));
        }

        for (var position = offset; ids.Count < limit && position < list.State.Count;)
        {
            var found = await Page(position / Capacity).ListAsync((int)(position % Capacity), limit - ids.Count);
            if (found.Count == 0)
            {
                break;
            }

            ids.AddRange(found);
            position += found.Count;
        }

        return new IdListPage(ids, list.State.Count);
    }

    public async Task<long?> FindAsync(Guid id)
    {
        var pages = (list.State.Count + Capacity - 1) / Capacity;
        for (var pageNumber = 0L; pageNumber < pages; pageNumber++)
        {
            if (await Page(pageNumber).IndexOfAsync(id) is var index and >= 0)
            {
                return (pageNumber * Capacity) + index;
            }
        }

        return null;
    }

    private IIdPageGrain Page(long pageNumber) => GrainFactory.GetGrain<IIdPageGrain>(IdLists.Page(this.GetPrimaryKeyString(), pageNumber));
}
