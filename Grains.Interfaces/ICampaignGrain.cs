using Orleans.AdClicks.Models;

namespace Orleans.AdClicks;

/// <summary>A campaign, keyed by its id, and the ads it holds.</summary>
public interface ICampaignGrain : IGrainWithGuidKey
{
    /// <summary>Creates the campaign for <paramref name="advertiserId"/>; fails if it exists.</summary>
    Task<CampaignInfo> CreateAsync(Guid advertiserId, string name);

    /// <summary>The campaign, or null when it does not exist.</summary>
    [Concurrency.ReadOnly]
    Task<CampaignInfo?> GetAsync();

    /// <summary>Creates an ad in this campaign and returns it.</summary>
    Task<AdInfo> CreateAdAsync(string name, string targetUrl);

    /// <summary>The ads of this campaign, oldest first.</summary>
    [Concurrency.ReadOnly]
    Task<IReadOnlyList<AdInfo>> ListAdsAsync();
}
