namespace Orleans.AdClicks.Lists;

/// <summary>
/// A list of ids too long for one grain's state, keyed by its name (<see cref="IdLists"/>): this grain keeps
/// only the count, in all and per tag; the ids live in order in pages of at most
/// <see cref="IIdPageGrain.Capacity"/> (<see cref="IIdPageGrain"/>, keyed "name#page").
/// </summary>
public interface IIdListGrain : IGrainWithStringKey
{
    /// <summary>Appends <paramref name="id"/> with <paramref name="tag"/> (e.g. a status) and returns its position; adding it again returns the same.</summary>
    Task<long> AddAsync(Guid id, int tag = 0);

    /// <summary>
    /// Appends, in order, each of <paramref name="ids"/> (with the tag at the same index) that the list does not hold
    /// yet: one write per page filled, for moving a list in bulk.
    /// </summary>
    Task AddManyAsync(IReadOnlyList<Guid> ids, IReadOnlyList<int> tags);

    /// <summary>Retags the id at <paramref name="position"/>, for filters and the counts per tag.</summary>
    Task SetTagAsync(long position, Guid id, int tag);

    /// <summary>
    /// Up to <paramref name="limit"/> ids from <paramref name="offset"/>, in the order they were added, and the total;
    /// with <paramref name="tag"/>, only ids of that tag (offset and total count those).
    /// Reads only the pages that hold them, or with a tag the pages up to the last one returned.
    /// </summary>
    [Concurrency.ReadOnly]
    Task<IdListPage> ListAsync(long offset, int limit, int? tag = null);

    /// <summary>The position of <paramref name="id"/>, or null when absent; reads the pages in order, for the rare caller that lost it.</summary>
    [Concurrency.ReadOnly]
    Task<long?> FindAsync(Guid id);
}
