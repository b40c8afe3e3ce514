namespace Orleans.AdClicks.Advertisers;

/// <summary>The ids of all advertisers, so the admin can list every campaign.</summary>
public sealed class AdvertiserDirectoryGrain(
    [PersistentState("advertisers", Constants.GrainStore)] IPersistentState<List<Guid>> advertisers)
    : Grain, IAdvertiserDirectoryGrain
{
    public async Task AddAsync(Guid advertiserId)
    {
        if (!advertisers.State.Contains(advertiserId))
        {
            advertisers.State.Add(advertiserId);
            await advertisers.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<Guid>> ListAsync() => Task.FromResult<IReadOnlyList<Guid>>([.. advertisers.State]);
}
