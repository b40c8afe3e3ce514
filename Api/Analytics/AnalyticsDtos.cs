using System.Text.Json.Serialization;

namespace Orleans.AdClicks.Api.Analytics;

/// <summary>Billable clicks and impressions and their CTR; the invalid clicks beside them are never billed.</summary>
public sealed record TotalsDto(long Clicks, long Impressions, double Ctr, long InvalidClicks, InvalidClicksByReasonDto InvalidClicksByReason);

/// <summary>
/// One bucket; <see cref="Partial"/> while it is still filling (it ends after the answer's asOf). Clicks and impressions
/// are billable; <see cref="InvalidClicks"/> counts the bucket's invalid clicks, by reason in <see cref="InvalidClicksByReason"/>.
/// </summary>
public sealed record SeriesPointDto(DateTimeOffset Start, long Clicks, long Impressions, bool Partial, long InvalidClicks, InvalidClicksByReasonDto InvalidClicksByReason);

/// <summary>The period before the one asked for: as long, as many buckets of the same size, ending where it starts.</summary>
public sealed record PeriodDto(DateTimeOffset From, DateTimeOffset To, TotalsDto Totals, IReadOnlyList<SeriesPointDto> Series);

/// <summary>
/// Counts of one ad, one campaign or one advertiser; exactly one of the ids is set. <see cref="AsOf"/> is the server's
/// time when it read the store; <see cref="Previous"/> only with compare=previous.
/// </summary>
public sealed record SeriesDto(
    Guid? AdId,
    Guid? CampaignId,
    Guid? AdvertiserId,
    string Granularity,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset AsOf,
    TotalsDto Totals,
    IReadOnlyList<SeriesPointDto> Series,
    PeriodDto? Previous = null,
    BudgetDto? Budget = null);

/// <summary>
/// A campaign's spend against its total click budget, over its whole life: the clicks beyond the budget
/// still count (they were real) and are reported here as over budget, for billing to leave out.
/// </summary>
public sealed record BudgetDto(long TotalClickBudget, long SpentClicks, long OverBudgetClicks, DateTimeOffset? BudgetSpentAt);

/// <summary>
/// One ad of a top list; the names are null (and written) when the ad or campaign no longer exists. Clicks, impressions
/// and CTR are billable; the ad's invalid clicks in the range are beside them (they never rank an ad).
/// </summary>
public sealed record TopAdDto(
    Guid AdId,
    Guid CampaignId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? AdName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? CampaignName,
    long Clicks,
    long Impressions,
    double Ctr,
    long InvalidClicks,
    InvalidClicksByReasonDto InvalidClicksByReason);

public sealed record TopAdsDto(IReadOnlyList<TopAdDto> Items, DateTimeOffset AsOf);

public static class Ctr
{
    /// <summary>Clicks per impression; zero when there were no impressions.</summary>
    public static double Of(long clicks, long impressions) => impressions == 0 ? 0 : Math.Round((double)clicks / impressions, 6);
}
