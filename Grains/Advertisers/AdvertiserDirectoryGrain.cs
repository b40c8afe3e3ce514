using Orleans.AdClicks.Lists;

namespace Orleans.AdClicks.Advertisers;

/// <summary>
/// The ids of all advertisers, in the id list <see cref="IdLists.Advertisers"/>. Its own state is only the list
/// it kept before the id lists ("advertisers"), moved on activation (a silo's start activates it) with each
/// advertiser's campaigns, then cleared.
/// </summary>
public sealed class AdvertiserDirectoryGrain(
    [PersistentState("advertisers", Constants.GrainStore)] IPersistentState<List<Guid>> legacy)
    : Grain, IAdvertiserDirectoryGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (legacy.State.Count > 0)
        {
            // Activating each advertiser moves its campaigns into its list and the list of every campaign: one
            // after the other, so that list keeps the order the admin saw, advertiser by advertiser.
            var advertisers = new List<Guid>();
            foreach (var id in legacy.State)
            {
                if (await GrainFactory.GetGrain<IAdvertiserGrain>(id).GetAsync() is not null)
                {
                    advertisers.Add(id);
                }
            }

            await List.AddManyAsync(advertisers, [.. advertisers.Select(_ => 0)]);
            await legacy.ClearStateAsync(cancellationToken);
        }
    }

    public async Task AddAsync(Guid advertiserId) => await List.AddAsync(advertiserId);

    public Task<IdListPage> ListAsync(long offset, int limit) => List.ListAsync(offset, limit);

    /// <summary>Activates the grain, which moves the list it kept before the id lists, if any.</summary>
    public Task EnsureListsMovedAsync() => Task.CompletedTask;

    private IIdListGrain List => GrainFactory.GetGrain<IIdListGrain>(IdLists.Advertisers);
}
