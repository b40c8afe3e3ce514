using Orleans.AdClicks.Models;

namespace Orleans.AdClicks;

/// <summary>An advertiser, keyed by its id: name, hashed API key and its campaigns.</summary>
public interface IAdvertiserGrain : IGrainWithGuidKey
{
    /// <summary>Creates the advertiser with the SHA-256 hash of its API key secret; fails if it exists.</summary>
    Task<AdvertiserInfo> CreateAsync(string name, byte[] apiKeyHash);

    /// <summary>The advertiser, or null when it does not exist.</summary>
    [Concurrency.ReadOnly]
    Task<AdvertiserInfo?> GetAsync();

    /// <summary>True when <paramref name="apiKeyHash"/> is the hash of this advertiser's key.</summary>
    [Concurrency.ReadOnly]
    Task<bool> VerifyApiKeyAsync(byte[] apiKeyHash);

    /// <summary>Replaces the API key's hash: the old key stops working. Null when the advertiser does not exist.</summary>
    Task<AdvertiserInfo?> RotateApiKeyAsync(byte[] apiKeyHash);

    /// <summary>Revokes the API key: no key works until the next rotation. False when the advertiser does not exist.</summary>
    Task<bool> RevokeApiKeyAsync();

    /// <summary>Records a campaign as this advertiser's.</summary>
    Task AddCampaignAsync(Guid campaignId);

    /// <summary>The ids of this advertiser's campaigns, oldest first.</summary>
    [Concurrency.ReadOnly]
    Task<IReadOnlyList<Guid>> ListCampaignsAsync();
}
