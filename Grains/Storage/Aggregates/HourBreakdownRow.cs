using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// The absolute billable count of one ad shard in one UTC hour with one value of one breakdown dimension, written by
/// the AdGrain's flush with the version of the minute rows of that flush (see <see cref="MinuteCountRow"/>).
/// </summary>
public readonly record struct HourBreakdownRow(
    Guid AdId,
    int Shard,
    Guid CampaignId,
    Guid AdvertiserId,
    DateTimeOffset Hour,
    BreakdownDimension Dimension,
    string Value,
    long Clicks,
    long Impressions,
    long Version);
