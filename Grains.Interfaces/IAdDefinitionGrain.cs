using Orleans.AdClicks.Models;

namespace Orleans.AdClicks;

/// <summary>
/// The definition of one ad (owner, name, target URL, creative, status), keyed by ad id. Reading it never
/// starts counting: the clicks of the ad are counted by its <see cref="IAdGrain"/> shards.
/// </summary>
public interface IAdDefinitionGrain : IGrainWithGuidKey
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
