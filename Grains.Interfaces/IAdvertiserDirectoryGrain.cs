using Orleans.AdClicks.Lists;

namespace Orleans.AdClicks;

/// <summary>The list of all advertisers (key 0), kept in pages of an id list so no grain holds them all.</summary>
public interface IAdvertiserDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds an advertiser id.</summary>
    Task AddAsync(Guid advertiserId);

    /// <summary>Up to <paramref name="limit"/> advertiser ids from <paramref name="offset"/>, oldest first, and how many there are.</summary>
    [Concurrency.ReadOnly]
    Task<IdListPage> ListAsync(long offset, int limit);

    /// <summary>Returns once the lists a version before the id lists kept in grain state are moved into id lists; each silo's start calls it.</summary>
    Task EnsureListsMovedAsync();
}
