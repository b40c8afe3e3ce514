namespace Orleans.AdClicks.Lists;

/// <summary>One page of an id list; see <see cref="IIdListGrain"/>.</summary>
public sealed class IdPageGrain(
    [PersistentState("id-page", Constants.GrainStore)] IPersistentState<IdPageGrainState> page)
    : Grain, IIdPageGrain
{
    public async Task<int> AddAsync(Guid id, int tag)
    {
        // A retried add finds its id: a page holds at most Capacity of them, so the scan is cheap.
        var index = page.State.Ids.IndexOf(id);
        if (index >= 0)
        {
            return index;
        }

        if (page.State.Ids.Count >= IIdPageGrain.Capacity)
        {
            return -1;
        }

        page.State.Ids.Add(id);
        page.State.Tags.Add(tag);
        await page.WriteStateAsync();
        return page.State.Ids.Count - 1;
    }

    public async Task<int> AddManyAsync(IReadOnlyList<Guid> ids, IReadOnlyList<int> tags)
    {
        var taken = 0;
        for (; taken < ids.Count; taken++)
        {
            if (page.State.Ids.Contains(ids[taken]))
            {
                continue;
            }

            if (page.State.Ids.Count >= IIdPageGrain.Capacity)
            {
                break;
            }

            page.State.Ids.Add(ids[taken]);
            page.State.Tags.Add(tags[taken]);
        }

        if (taken > 0)
        {
            await page.WriteStateAsync();
        }

        return taken;
    }

    public async Task<int?> SetTagAsync(int index, Guid id, int tag)
    {
        if (index < 0 || index >= page.State.Ids.Count || page.State.Ids[index] != id)
        {
            return null;
        }

        var previous = page.State.Tags[index];
        if (previous != tag)
        {
            page.State.Tags[index] = tag;
            await page.WriteStateAsync();
        }

        return previous;
    }

    public Task<IReadOnlyList<Guid>> ListAsync(int index, int limit)
    {
        var ids = page.State.Ids;
        var start = Math.Clamp(index, 0, ids.Count);
        return Task.FromResult<IReadOnlyList<Guid>>(ids.GetRange(start, Math.Clamp(limit, 0, ids.Count - start)));
    }

    public Task<IdPageMatches> ListTaggedAsync(int tag, long skip, int limit)
    {
        var matches = 0;
        var ids = new List<Guid>();
        for (var i = 0; i < page.State.Ids.Count; i++)
        {
            if (page.State.Tags[i] == tag)
            {
                if (matches >= skip && ids.Count < limit)
                {
                    ids.Add(page.State.Ids[i]);
                }

                matches++;
            }
        }

        return Task.FromResult(new IdPageMatches(matches, ids));
    }

    public Task<int> IndexOfAsync(Guid id) => Task.FromResult(page.State.Ids.IndexOf(id));

    public Task<int> CountAsync() => Task.FromResult(page.State.Ids.Count);
}
