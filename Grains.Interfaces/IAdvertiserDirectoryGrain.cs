namespace Orleans.AdClicks;

/// <summary>The list of all advertisers (one grain, key 0): advertisers are few, ads are many.</summary>
public interface IAdvertiserDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds an advertiser id.</summary>
    Task AddAsync(Guid advertiserId);

    /// <summary>All advertiser ids, oldest first.</summary>
    [Concurrency.ReadOnly]
    Task<IReadOnlyList<Guid>> ListAsync();
}
