using System.Security.Cryptography;
using Orleans.AdClicks.Lists;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Advertisers;

/// <summary>An advertiser: its name and the hash of its API key.</summary>
public sealed class AdvertiserGrain(
    [PersistentState("advertiser", Constants.GrainStore)] IPersistentState<AdvertiserGrainState> advertiser,
    TimeProvider time)
    : Grain, IAdvertiserGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Before the id lists, the admin's list of every campaign was each advertiser's list in turn.
        if (advertiser.State.CampaignIds.Count > 0)
        {
            await LegacyIdLists.MoveAsync(
                advertiser.State.CampaignIds,
                async campaignId => await GrainFactory.GetGrain<ICampaignGrain>(campaignId).GetAsync() is { } campaign ? (int)campaign.Status : null,
                GrainFactory.GetGrain<IIdListGrain>(IdLists.CampaignsOf(this.GetPrimaryKey())),
                GrainFactory.GetGrain<IIdListGrain>(IdLists.AllCampaigns));
            advertiser.State.CampaignIds = [];
            await advertiser.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<AdvertiserInfo> CreateAsync(string name, byte[] apiKeyHash)
    {
        if (advertiser.RecordExists)
        {
            throw new InvalidOperationException($"Advertiser {this.GetPrimaryKey():N} exists.");
        }

        advertiser.State.Name = name;
        advertiser.State.ApiKeyHash = apiKeyHash;
        advertiser.State.CreatedAt = time.GetUtcNow();
        await advertiser.WriteStateAsync();
        await GrainFactory.GetGrain<IAdvertiserDirectoryGrain>(0).AddAsync(this.GetPrimaryKey());
        return ToInfo()!;
    }

    public Task<AdvertiserInfo?> GetAsync() => Task.FromResult(ToInfo());

    public Task<bool> VerifyApiKeyAsync(byte[] apiKeyHash) => Task.FromResult(
        advertiser.RecordExists && advertiser.State.ApiKeyHash.Length > 0 && CryptographicOperations.FixedTimeEquals(advertiser.State.ApiKeyHash, apiKeyHash));

    public async Task<AdvertiserInfo?> RotateApiKeyAsync(byte[] apiKeyHash)
    {
        if (!advertiser.RecordExists)
        {
            return null;
        }

        advertiser.State.ApiKeyHash = apiKeyHash;
        await advertiser.WriteStateAsync();
        return ToInfo();
    }

    public async Task<bool> RevokeApiKeyAsync()
    {
        if (!advertiser.RecordExists)
        {
            return false;
        }

        advertiser.State.ApiKeyHash = [];
        await advertiser.WriteStateAsync();
        return true;
    }

    private AdvertiserInfo? ToInfo() => advertiser.RecordExists
        ? new AdvertiserInfo(this.GetPrimaryKey(), advertiser.State.Name, advertiser.State.CreatedAt)
        : null;
}
