using System.Text;
using DuckDB.NET.Data;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.Aggregates.Queries;

/// <summary>
/// Renders an <see cref="AggregateQuery"/> to DuckDB SQL over the embedded store's tables, every value a <c>$name</c>
/// parameter. minute_counts holds only each row's latest version (the writer upserts), so no deduplication here.
/// </summary>
public static class DuckDbSqlRenderer
{
    /// <summary>
    /// The latest version is a point lookup of latest_versions' one-column key (an index scan, not a scan of
    /// minute_counts); the writer keeps that table in the transaction that merges the rows.
    /// </summary>
    public const string LatestVersionSql = "SELECT version FROM latest_versions WHERE ad_shard = $key";

    public static (string Sql, DuckDBParameter[] Parameters) Render(AggregateQuery query)
    {
        if (query.Grouping == AggregateGrouping.LatestVersion)
        {
            return (LatestVersionSql, [new("key", DuckDbAggregateDatabase.LatestVersionKey(new AdKey(query.AdId!.Value, query.Shard!.Value)))]);
        }

        var where = new List<string>();
        var parameters = new List<DuckDBParameter>();
        void Filter(string condition, string name, object value)
        {
            where.Add(condition);
            parameters.Add(new DuckDBParameter(name, value));
        }

        if (query.Tenant.AdvertiserId is { } tenant)
        {
            Filter("advertiser_id = $tenantId", "tenantId", tenant);
        }

        if (query.AdvertiserId is { } advertiser)
        {
            Filter("advertiser_id = $advertiserId", "advertiserId", advertiser);
        }

        if (query.CampaignId is { } campaign)
        {
            Filter("campaign_id = $campaignId", "campaignId", campaign);
        }

        if (query.AdId is { } ad)
        {
            Filter("ad_id = $adId", "adId", ad);
        }

        if (query.Shard is { } shard)
        {
            Filter("shard = $shard", "shard", shard);
        }

        if (query.AdIdPrefix is { } prefix)
        {
            Filter("starts_with(CAST(ad_id AS VARCHAR), $adIdPrefix)", "adIdPrefix", prefix);
        }

        if (query.From is { } from)
        {
            Filter("minute >= $from", "from", from.UtcDateTime);
        }

        if (query.To is { } to)
        {
            Filter("minute < $to", "to", to.UtcDateTime);
        }

        var sql = new StringBuilder();
        switch (query.Grouping)
        {
            case AggregateGrouping.Buckets:
                parameters.Add(new DuckDBParameter("granularity", query.Granularity switch
                {
                    Granularity.Minute => "minute",
                    Granularity.Hour => "hour",
                    _ => "day",
                }));
                sql.AppendLine("SELECT date_trunc($granularity, minute) AS bucket, sum(clicks)::BIGINT AS clicks, sum(impressions)::BIGINT AS impressions");
                break;
            case AggregateGrouping.Ads:
                sql.Append("SELECT ad_id, campaign_id, sum(clicks)::BIGINT AS clicks, sum(impressions)::BIGINT AS impressions");
                // The exact quotient of doubles: equal ratios (1/3, 2/6) are equal doubles, so they tie as KQL ranks them.
                sql.AppendLine(query.Sort == TopAdsSort.Ctr ? ", CASE WHEN sum(impressions) = 0 THEN 0.0 ELSE sum(clicks)::DOUBLE / sum(impressions) END AS ctr" : "");
                break;
            default:
                sql.AppendLine("SELECT ad_id, shard, campaign_id, advertiser_id, minute, clicks, impressions, version");
                break;
        }

        sql.AppendLine("FROM minute_counts");
        if (where.Count > 0)
        {
            sql.Append("WHERE ").AppendJoin(" AND ", where).AppendLine();
        }

        switch (query.Grouping)
        {
            case AggregateGrouping.Buckets:
                sql.AppendLine("GROUP BY bucket").Append("ORDER BY bucket");
                break;
            case AggregateGrouping.Ads:
                parameters.Add(new DuckDBParameter("limit", query.Limit));
                sql.AppendLine("GROUP BY ad_id, campaign_id").AppendLine(query.Sort switch
                {
                    TopAdsSort.Impressions => "ORDER BY impressions DESC, clicks DESC, ad_id",
                    TopAdsSort.Ctr => "ORDER BY ctr DESC, clicks DESC, impressions DESC, ad_id",
                    _ => "ORDER BY clicks DESC, impressions DESC, ad_id",
                }).Append("LIMIT $limit");
                break;
            default:
                sql.Append("ORDER BY ad_id, shard, minute");
                break;
        }

        return (sql.ToString(), [.. parameters]);
    }
}
