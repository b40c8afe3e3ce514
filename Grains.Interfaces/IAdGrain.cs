using Orleans.AdClicks.Models;

namespace Orleans.AdClicks;

/// <summary>
/// One ad, keyed by <see cref="Events.AdKey"/>: shard 0 holds the ad's definition; every shard counts the
/// clicks and impressions its stream delivers, deduplicated by impression id, per UTC minute.
/// </summary>
public interface IAdGrain : IGrainWithStringKey
{
    /// <summary>Defines the ad; fails if it exists.</summary>
    Task<AdInfo> CreateAsync(AdInfo ad);

    /// <summary>Replaces name, target URL and creative; an archived ad does not change.</summary>
    Task<AdChange> UpdateAsync(AdSettings settings);

    /// <summary>Pauses, resumes or archives the ad; an archived ad stays archived.</summary>
    Task<AdChange> SetStatusAsync(AdStatus status);

    /// <summary>The ad, or null when it does not exist.</summary>
    [Concurrency.AlwaysInterleave]
    Task<AdInfo?> GetAsync();
}
