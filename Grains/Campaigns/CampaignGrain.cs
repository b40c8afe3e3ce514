using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Campaigns;

/// <summary>A campaign of one advertiser and the ads it holds.</summary>
public sealed class CampaignGrain(
    [PersistentState("campaign", Constants.GrainStore)] IPersistentState<CampaignGrainState> campaign,
    TimeProvider time)
    : Grain, ICampaignGrain
{
    public async Task<CampaignInfo> CreateAsync(Guid advertiserId, string name)
    {
        if (campaign.RecordExists)
        {
            throw new InvalidOperationException($"Campaign {this.GetPrimaryKey():N} exists.");
        }

        campaign.State.AdvertiserId = advertiserId;
        campaign.State.Name = name;
        campaign.State.CreatedAt = time.GetUtcNow();
        await campaign.WriteStateAsync();
        await GrainFactory.GetGrain<IAdvertiserGrain>(advertiserId).AddCampaignAsync(this.GetPrimaryKey());
        return ToInfo()!;
    }

    public Task<CampaignInfo?> GetAsync() => Task.FromResult(ToInfo());

    public async Task<AdInfo> CreateAdAsync(string name, string targetUrl)
    {
        if (!campaign.RecordExists)
        {
            throw new InvalidOperationException($"Campaign {this.GetPrimaryKey():N} does not exist.");
        }

        var adId = Guid.NewGuid();
        var ad = await GrainFactory.GetGrain<IAdGrain>(new AdKey(adId, 0).ToString()).CreateAsync(
            new AdInfo(adId, this.GetPrimaryKey(), campaign.State.AdvertiserId, name, targetUrl, time.GetUtcNow()));
        campaign.State.AdIds.Add(adId);
        await campaign.WriteStateAsync();
        return ad;
    }

    public async Task<IReadOnlyList<AdInfo>> ListAdsAsync()
    {
        var ads = await Task.WhenAll(campaign.State.AdIds.Select(id => GrainFactory.GetGrain<IAdGrain>(new AdKey(id, 0).ToString()).GetAsync()));
        return [.. ads.OfType<AdInfo>()];
    }

    private CampaignInfo? ToInfo() => campaign.RecordExists
        ? new CampaignInfo(this.GetPrimaryKey(), campaign.State.AdvertiserId, campaign.State.Name, campaign.State.CreatedAt)
        : null;
}
