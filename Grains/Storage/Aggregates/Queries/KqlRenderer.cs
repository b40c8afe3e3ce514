using System.Text;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Aggregates.Queries;

/// <summary>
/// Renders an <see cref="AggregateQuery"/> to KQL for Azure Data Explorer (infra/kusto/schema.kql), every value a
/// <see cref="KustoParameter"/> that the client declares with <c>declare query_parameters</c>, never pasted into the text.
/// Analytics and reconciliation read the latest-version view AdMinuteLatest; the latest version reads the base table,
/// which holds every version ever written, so a version is never reused even while the view lags behind ingestion.
/// </summary>
public static class KqlRenderer
{
    // The invalid-click columns of infra/kusto/schema.kql, in reason order; rows written before them read null, summed as 0.
    private const string InvalidSums = "InvalidExpiredToken = sum(InvalidExpiredToken), InvalidKnownCrawler = sum(InvalidKnownCrawler), "
        + "InvalidTooEarly = sum(InvalidTooEarly), InvalidAddressFlood = sum(InvalidAddressFlood), InvalidCampaignFlood = sum(InvalidCampaignFlood)";

    private const string InvalidColumns = "InvalidExpiredToken, InvalidKnownCrawler, InvalidTooEarly, InvalidAddressFlood, InvalidCampaignFlood";

    public static (string Kql, IReadOnlyList<KustoParameter> Parameters) Render(AggregateQuery query)
    {
        var where = new List<string>();
        var parameters = new List<KustoParameter>();
        void Filter(string condition, KustoParameter parameter)
        {
            where.Add(condition);
            parameters.Add(parameter);
        }

        if (query.Tenant.AdvertiserId is { } tenant)
        {
            Filter("AdvertiserId == tenantId", KustoParameter.Guid("tenantId", tenant));
        }

        if (query.AdvertiserId is { } advertiser)
        {
            Filter("AdvertiserId == advertiserId", KustoParameter.Guid("advertiserId", advertiser));
        }

        if (query.CampaignId is { } campaign)
        {
            Filter("CampaignId == campaignId", KustoParameter.Guid("campaignId", campaign));
        }

        if (query.AdId is { } ad)
        {
            Filter("AdId == adId", KustoParameter.Guid("adId", ad));
        }

        if (query.Shard is { } shard)
        {
            Filter("Shard == shard", KustoParameter.Int("shard", shard));
        }

        // tostring(guid) is lowercase "D" form, as AdSlice.Prefix spells the slice.
        if (query.AdIdPrefix is { } prefix)
        {
            Filter("tostring(AdId) startswith_cs adIdPrefix", KustoParameter.String("adIdPrefix", prefix));
        }

        if (query.From is { } from)
        {
            Filter("Minute >= fromTime", KustoParameter.DateTime("fromTime", from));
        }

        if (query.To is { } to)
        {
            Filter("Minute < toTime", KustoParameter.DateTime("toTime", to));
        }

        var kql = new StringBuilder(query.Grouping == AggregateGrouping.LatestVersion ? "AdMinuteAggregates" : "AdMinuteLatest");
        if (where.Count > 0)
        {
            kql.Append("\n| where ").AppendJoin(" and ", where);
        }

        // Ties order by the ad id's text, as DuckDB orders UUIDs, so both stores rank alike.
        switch (query.Grouping)
        {
            case AggregateGrouping.Buckets:
                // bin() aligns to multiples of the size since 1970-01-01, i.e. to UTC minutes, hours and days.
                parameters.Add(KustoParameter.Long("bucketMinutes", MinuteBucket.TicksPer(query.Granularity) / TimeSpan.TicksPerMinute));
                kql.Append("\n| summarize Clicks = sum(Clicks), Impressions = sum(Impressions), ").Append(InvalidSums).Append(" by Start = bin(Minute, bucketMinutes * 1m)")
                    .Append("\n| order by Start asc");
                break;
            case AggregateGrouping.Ads:
                parameters.Add(KustoParameter.Long("maxAds", query.Limit));
                kql.Append("\n| summarize Clicks = sum(Clicks), Impressions = sum(Impressions), ").Append(InvalidSums).Append(" by AdId, CampaignId")
                    .Append(query.Sort switch
                    {
                        TopAdsSort.Impressions => "\n| order by Impressions desc, Clicks desc, tostring(AdId) asc",
                        TopAdsSort.Ctr => "\n| extend Ctr = iff(Impressions == 0, 0.0, todouble(Clicks) / Impressions)"
                            + "\n| order by Ctr desc, Clicks desc, Impressions desc, tostring(AdId) asc",
                        _ => "\n| order by Clicks desc, Impressions desc, tostring(AdId) asc",
                    })
                    .Append("\n| take maxAds");
                break;
            case AggregateGrouping.Rows:
                kql.Append("\n| project AdId, Shard, CampaignId, AdvertiserId, Minute, Clicks, Impressions, Version, ").Append(InvalidColumns)
                    .Append("\n| order by tostring(AdId) asc, Shard asc, Minute asc");
                break;
            default:
                kql.Append("\n| summarize Version = max(Version)");
                break;
        }

        return (kql.ToString(), parameters);
    }

    /// <summary>
    /// A breakdown read over the latest-version view AdHourBreakdownLatest: the scope's rows of the dimension and
    /// hours, summed per value, ranked as DuckDB ranks them.
    /// </summary>
    public static (string Kql, IReadOnlyList<KustoParameter> Parameters) RenderBreakdown(BreakdownQuery query)
    {
        var where = new List<string>();
        var parameters = new List<KustoParameter>();
        void Filter(string condition, KustoParameter parameter)
        {
            where.Add(condition);
            parameters.Add(parameter);
        }

        if (query.Tenant.AdvertiserId is { } tenant)
        {
            Filter("AdvertiserId == tenantId", KustoParameter.Guid("tenantId", tenant));
        }

        if (query.Scope.AdvertiserId is { } advertiser)
        {
            Filter("AdvertiserId == advertiserId", KustoParameter.Guid("advertiserId", advertiser));
        }

        if (query.Scope.CampaignId is { } campaign)
        {
            Filter("CampaignId == campaignId", KustoParameter.Guid("campaignId", campaign));
        }

        if (query.Scope.AdId is { } ad)
        {
            Filter("AdId == adId", KustoParameter.Guid("adId", ad));
        }

        Filter("Dimension == breakdownBy", KustoParameter.String("breakdownBy", query.Dimension.ApiName()));
        Filter("Hour >= fromTime", KustoParameter.DateTime("fromTime", query.From));
        Filter("Hour < toTime", KustoParameter.DateTime("toTime", query.To));
        var kql = new StringBuilder("AdHourBreakdownLatest")
            .Append("\n| where ").AppendJoin(" and ", where)
            .Append("\n| summarize Clicks = sum(Clicks), Impressions = sum(Impressions) by Value")
            .Append("\n| order by Clicks desc, Impressions desc, Value asc");
        return (kql.ToString(), parameters);
    }

    /// <summary>
    /// An ad shard's highest breakdown row version, from the base table AdHourBreakdowns (every version ever written),
    /// which its counting grain must exceed as it must exceed its minute rows'.
    /// </summary>
    public static (string Kql, IReadOnlyList<KustoParameter> Parameters) RenderLatestBreakdownVersion(AdKey key) =>
        ("AdHourBreakdowns\n| where AdId == adId and Shard == shard\n| summarize Version = max(Version)",
            [KustoParameter.Guid("adId", key.AdId), KustoParameter.Int("shard", key.Shard)]);
}
