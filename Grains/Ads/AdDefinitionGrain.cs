using Orleans.AdClicks.Lists;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Ads;

/// <summary>
/// An ad's definition, apart from its counting (<see cref="AdGrain"/>) so that target lookups, ownership checks
/// and listings activate no recount, timer or stream subscription.
/// </summary>
/// <remarks>
/// Grain type "ad" and state name "ad" are those shard 0 of the counting grain stored definitions under before
/// the two were split (a Guid key is the same "N" string as that shard's key), so stored ads still read.
/// </remarks>
[GrainType("ad")]
public sealed class AdDefinitionGrain(
    [PersistentState("ad", Constants.GrainStore)] IPersistentState<AdGrainState> ad,
    TimeProvider time)
    : Grain, IAdDefinitionGrain
{
    public async Task<AdInfo> CreateAsync(AdInfo definition)
    {
        if (definition.Id != this.GetPrimaryKey())
        {
            throw new ArgumentException("An ad is created on the grain of its own id.", nameof(definition));
        }

        if (ad.RecordExists)
        {
            throw new InvalidOperationException($"Ad {definition.Id:N} exists.");
        }

        ad.State.CampaignId = definition.CampaignId;
        ad.State.AdvertiserId = definition.AdvertiserId;
        ad.State.Name = definition.Name;
        ad.State.TargetUrl = definition.TargetUrl;
        ad.State.Creative = definition.Creative;
        ad.State.CreatedAt = definition.CreatedAt;
        await ad.WriteStateAsync();
        ad.State.ListPosition = await List().AddAsync(definition.Id, (int)ad.State.Status);
        await ad.WriteStateAsync();
        return ToInfo()!;
    }

    public async Task<AdChange> UpdateAsync(AdSettings settings)
    {
        if (RefuseChange(allowArchived: false) is { } refused)
        {
            return refused;
        }

        ad.State.Name = settings.Name;
        ad.State.TargetUrl = settings.TargetUrl;
        ad.State.Creative = settings.Creative;
        return await SaveAsync();
    }

    public async Task<AdChange> SetStatusAsync(AdStatus status)
    {
        if (RefuseChange(allowArchived: status == AdStatus.Archived) is { } refused)
        {
            return refused;
        }

        if (ad.State.Status == status)
        {
            return new AdChange(ChangeOutcome.Changed, ToInfo());
        }

        ad.State.Status = status;
        var saved = await SaveAsync();
        await RetagAsync();
        return saved;
    }

    public Task<AdInfo?> GetAsync() => Task.FromResult(ToInfo());

    /// <summary>Tells the campaign's ad list the ad's new status, for its status filter and counts.</summary>
    private async Task RetagAsync()
    {
        var id = this.GetPrimaryKey();
        if (ad.State.ListPosition is null && await List().FindAsync(id) is { } found)
        {
            ad.State.ListPosition = found;
            await ad.WriteStateAsync();
        }

        if (ad.State.ListPosition is { } position)
        {
            await List().SetTagAsync(position, id, (int)ad.State.Status);
        }
    }

    private IIdListGrain List() => GrainFactory.GetGrain<IIdListGrain>(IdLists.AdsOf(ad.State.CampaignId));

    private AdChange? RefuseChange(bool allowArchived) =>
        !ad.RecordExists ? new AdChange(ChangeOutcome.NotFound, null)
        : ad.State.Status == AdStatus.Archived && !allowArchived ? new AdChange(ChangeOutcome.Conflict, ToInfo(), "An archived ad does not change.")
        : null;

    private async Task<AdChange> SaveAsync()
    {
        ad.State.UpdatedAt = time.GetUtcNow();
        await ad.WriteStateAsync();
        return new AdChange(ChangeOutcome.Changed, ToInfo());
    }

    private AdInfo? ToInfo() => ad.RecordExists
        ? new AdInfo(this.GetPrimaryKey(), ad.State.CampaignId, ad.State.AdvertiserId, ad.State.Name, ad.State.TargetUrl, ad.State.CreatedAt,
            ad.State.Status, ad.State.Creative, ad.State.UpdatedAt)
        : null;
}
