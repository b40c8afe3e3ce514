using Orleans.AdClicks.Models;

namespace Orleans.AdClicks;

/// <summary>An advertiser, keyed by its id: name and hashed API key; its campaigns are listed by <c>IdLists.CampaignsOf</c>.</summary>
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
}
