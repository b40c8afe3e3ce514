using Orleans.AdClicks.Reconciliation;

namespace Orleans.AdClicks;

/// <summary>
/// The counting grain of one ad shard, keyed by <see cref="Events.AdKey"/>: it counts the clicks and impressions its
/// stream delivers, deduplicated by impression id, per UTC minute. The ad's definition is its <see cref="IAdDefinitionGrain"/>.
/// </summary>
public interface IAdGrain : IGrainWithStringKey
{
    /// <summary>
    /// Recounts the given minutes of this shard from the raw store and writes them to the aggregate store,
    /// zeros included, in turn with its own counting so no flush of an older count can undo the repair.
    /// </summary>
    Task<RepairedMinutes> RepairMinutesAsync(IReadOnlyList<DateTimeOffset> minutes);
}
