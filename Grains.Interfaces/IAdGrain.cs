using Orleans.AdClicks.Models;
using Orleans.AdClicks.Reconciliation;

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

    /// <summary>
    /// Recounts the given minutes of this shard from the raw store and writes them to the aggregate store,
    /// zeros included, in turn with its own counting so no flush of an older count can undo the repair.
    /// </summary>
    Task<RepairedMinutes> RepairMinutesAsync(IReadOnlyList<DateTimeOffset> minutes);

    /// <summary>The ad, or null when it does not exist.</summary>
    [Concurrency.AlwaysInterleave]
    Task<AdInfo?> GetAsync();
}
