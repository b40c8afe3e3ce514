namespace Orleans.AdClicks.Lists;

/// <summary>One page of an <see cref="IIdListGrain"/>: at most <see cref="Capacity"/> ids with their tags, in order.</summary>
public interface IIdPageGrain : IGrainWithStringKey
{
    /// <summary>Most ids one page holds, so its state stays small (16 kB of ids) whatever the list's length.</summary>
    public const int Capacity = 1_000;

    /// <summary>Appends the id unless present; its index in the page, or -1 when the page is full without it.</summary>
    Task<int> AddAsync(Guid id, int tag);

    /// <summary>
    /// Appends the ids, in order, while the page has room (skipping one it holds already), in one write;
    /// how many of them, from the first, it took.
    /// </summary>
    Task<int> AddManyAsync(IReadOnlyList<Guid> ids, IReadOnlyList<int> tags);

    /// <summary>Retags the id at <paramref name="index"/>; the tag it had, or null when that is not the id.</summary>
    Task<int?> SetTagAsync(int index, Guid id, int tag);

    /// <summary>Up to <paramref name="limit"/> ids from <paramref name="index"/>.</summary>
    [Concurrency.ReadOnly]
    Task<IReadOnlyList<Guid>> ListAsync(int index, int limit);

    /// <summary>How many ids have <paramref name="tag"/>, and up to <paramref name="limit"/> of them after skipping <paramref name="skip"/>.</summary>
    [Concurrency.ReadOnly]
    Task<IdPageMatches> ListTaggedAsync(int tag, long skip, int limit);

    /// <summary>The index of <paramref name="id"/> in the page, or -1.</summary>
    [Concurrency.ReadOnly]
    Task<int> IndexOfAsync(Guid id);

    /// <summary>How many ids the page holds.</summary>
    [Concurrency.ReadOnly]
    Task<int> CountAsync();
}
