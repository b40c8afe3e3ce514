using Orleans.AdClicks.Lists;
using Orleans.Concurrency;

namespace Orleans.AdClicks.Advertisers;

/// <summary>The ids of all advertisers, in the id list <see cref="IdLists.Advertisers"/>: this grain holds no state.</summary>
[StatelessWorker]
public sealed class AdvertiserDirectoryGrain : Grain, IAdvertiserDirectoryGrain
{
    public async Task AddAsync(Guid advertiserId) => await List.AddAsync(advertiserId);

    public Task<IdListPage> ListAsync(long offset, int limit) => List.ListAsync(offset, limit);

    private IIdListGrain List => GrainFactory.GetGrain<IIdListGrain>(IdLists.Advertisers);
}
