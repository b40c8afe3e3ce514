using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates.Queries;

namespace Orleans.AdClicks.Tests.Kusto;

/// <summary>Every shape of <see cref="AggregateQuery"/> the product makes: each kind, with and without its optional filters, each granularity and top-ads sort, for an advertiser and for all.</summary>
internal static class AggregateQueryCatalog
{
    public static readonly Guid Ad = Guid.Parse("6f1c2b1e-3a47-4f0e-9d1a-2b7c8e9f0a11");
    public static readonly Guid Campaign = Guid.Parse("0c7d5a2e-81f4-4b3a-a6c9-5e2d1f0b3c44");
    public static readonly Guid Advertiser = Guid.Parse("a41e9c03-6b2d-4f87-9e15-3c0d8b7a2f55");
    public static readonly Guid OtherAdvertiser = Guid.Parse("b52f0d14-7c3e-4098-8f26-4d1e9c8b3066");
    public static readonly DateTimeOffset From = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset To = new(2026, 1, 2, 10, 0, 0, TimeSpan.Zero);

    public static IEnumerable<(string Name, AggregateQuery Query)> All()
    {
        foreach (var (tenantName, tenant) in Tenants())
        {
            foreach (var granularity in Enum.GetValues<Granularity>())
            {
                yield return ($"series-ad-{granularity}-{tenantName}", AggregateQuery.Series(tenant, SeriesScope.Ad(Ad), From, To, granularity));
                yield return ($"series-campaign-{granularity}-{tenantName}", AggregateQuery.Series(tenant, SeriesScope.Campaign(Campaign), From, To, granularity));
                yield return ($"series-advertiser-{granularity}-{tenantName}", AggregateQuery.Series(tenant, SeriesScope.Advertiser(OtherAdvertiser), From, To, granularity));
            }

            yield return ($"top-ads-{tenantName}", AggregateQuery.TopAds(tenant, new TopAdsQuery(From, To, 10, null, null)));
            yield return ($"top-ads-campaign-{tenantName}", AggregateQuery.TopAds(tenant, new TopAdsQuery(From, To, 10, Campaign, null)));
            yield return ($"top-ads-advertiser-{tenantName}", AggregateQuery.TopAds(tenant, new TopAdsQuery(From, To, 100, null, OtherAdvertiser)));
            yield return ($"top-ads-campaign-advertiser-{tenantName}", AggregateQuery.TopAds(tenant, new TopAdsQuery(From, To, 5, Campaign, OtherAdvertiser)));
            yield return ($"top-ads-impressions-{tenantName}", AggregateQuery.TopAds(tenant, new TopAdsQuery(From, To, 10, null, null, TopAdsSort.Impressions)));
            yield return ($"top-ads-ctr-{tenantName}", AggregateQuery.TopAds(tenant, new TopAdsQuery(From, To, 10, null, null, TopAdsSort.Ctr)));
            yield return ($"top-ads-ctr-campaign-advertiser-{tenantName}", AggregateQuery.TopAds(tenant, new TopAdsQuery(From, To, 5, Campaign, OtherAdvertiser, TopAdsSort.Ctr)));
        }

        yield return ("hour", AggregateQuery.Hour(From, AdSlice.Of(Ad)));
        for (var piece = 0; piece < AggregateQuery.HourPieces; piece++)
        {
            yield return ($"hour-piece-{piece:x}", AggregateQuery.HourPiece(From, AdSlice.Of(Ad), piece));
        }

        yield return ("latest-version", AggregateQuery.LatestVersion(new AdKey(Ad, 3)));
    }

    private static IEnumerable<(string Name, AnalyticsTenant Tenant)> Tenants() =>
        [("all", AnalyticsTenant.All), ("advertiser", AnalyticsTenant.Advertiser(Advertiser))];
}
