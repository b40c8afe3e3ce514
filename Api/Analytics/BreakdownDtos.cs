namespace Orleans.AdClicks.Api.Analytics;

/// <summary>One value of a breakdown's dimension with its billable counts over the range.</summary>
public sealed record BreakdownItemDto(string Value, long Clicks, long Impressions, double Ctr);

/// <summary>A breakdown's billable totals: the sum of its items in every dimension (invalid clicks are not broken down).</summary>
public sealed record BreakdownTotalsDto(long Clicks, long Impressions, double Ctr);

/// <summary>
/// The billable counts of one ad, one campaign or one advertiser (all its ads) per value of the dimension <see cref="By"/>, in the whole UTC hours
/// [<see cref="From"/>, <see cref="To"/>); exactly one of the ids is set. <see cref="Partial"/> while the last hour is still
/// filling (it ends after <see cref="AsOf"/>). The items are ordered by clicks, then impressions, highest first, then value.
/// </summary>
public sealed record BreakdownDto(
    Guid? AdId,
    Guid? CampaignId,
    Guid? AdvertiserId,
    string By,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset AsOf,
    bool Partial,
    BreakdownTotalsDto Totals,
    IReadOnlyList<BreakdownItemDto> Items);
