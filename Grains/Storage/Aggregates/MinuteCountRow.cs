using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// The absolute count of one ad shard in one UTC minute. <paramref name="Version"/> orders writes of
/// the same row: the AdGrain writes the time of writing in ticks, or one above the highest version
/// the shard wrote before when that is higher (a silo whose clock is behind).
/// </summary>
/// <param name="Clicks">Billable clicks.</param>
/// <param name="Impressions">Billable impressions.</param>
/// <param name="InvalidClicks">Invalid clicks by reason, versioned with the rest of the row.</param>
public readonly record struct MinuteCountRow(
    Guid AdId,
    int Shard,
    Guid CampaignId,
    Guid AdvertiserId,
    DateTimeOffset Minute,
    long Clicks,
    long Impressions,
    long Version,
    InvalidClickCounts InvalidClicks = default);
