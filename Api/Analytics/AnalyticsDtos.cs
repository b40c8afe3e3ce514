namespace Orleans.AdClicks.Api.Analytics;

public sealed record TotalsDto(long Clicks, long Impressions, double Ctr);

public sealed record SeriesPointDto(DateTimeOffset Start, long Clicks, long Impressions);

/// <summary>Counts of one ad or one campaign; exactly one of the ids is set.</summary>
public sealed record SeriesDto(
    Guid? AdId,
    Guid? CampaignId,
    string Granularity,
    DateTimeOffset From,
    DateTimeOffset To,
    TotalsDto Totals,
    IReadOnlyList<SeriesPointDto> Series,
    BudgetDto? Budget = null);

/// <summary>
/// A campaign's spend against its total click budget, over its whole life: the clicks beyond the budget
/// still count (they were real) and are reported here as over budget, for billing to leave out.
/// </summary>
public sealed record BudgetDto(long TotalClickBudget, long SpentClicks, long OverBudgetClicks, DateTimeOffset? BudgetSpentAt);

public sealed record TopAdDto(Guid AdId, Guid CampaignId, long Clicks, long Impressions, double Ctr);

public sealed record TopAdsDto(IReadOnlyList<TopAdDto> Items);

public static class Ctr
{
    /// <summary>Clicks per impression; zero when there were no impressions.</summary>
    public static double Of(long clicks, long impressions) => impressions == 0 ? 0 : Math.Round((double)clicks / impressions, 6);
}
