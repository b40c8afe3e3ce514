namespace Orleans.AdClicks.Models;

/// <summary>
/// Whose aggregate rows an analytics query may read: one advertiser's (an advertiser's API key), or every
/// advertiser's (<see cref="All"/>: the admin, and the system's own reads such as budgets and reconciliation).
/// The stores add the advertiser filter whatever else the query asks for.
/// </summary>
[GenerateSerializer, Immutable, Alias("adclicks.analytics-tenant")]
public sealed record AnalyticsTenant([property: Id(0)] Guid? AdvertiserId)
{
    /// <summary>Every advertiser's rows.</summary>
    public static AnalyticsTenant All { get; } = new((Guid?)null);

    /// <summary>Only the rows of <paramref name="advertiserId"/>.</summary>
    public static AnalyticsTenant Advertiser(Guid advertiserId) => new(advertiserId);
}
