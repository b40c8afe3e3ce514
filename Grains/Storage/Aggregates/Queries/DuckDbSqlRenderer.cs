using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.Aggregates.Queries;

/// <summary>
/// Renders an <see cref="AggregateQuery"/> to DuckDB SQL over the embedded store's tables, every value a <c>$name</c>
/// parameter. minute_counts holds only each row's latest version (the writer upserts) and hour_counts their hourly sums, so
/// no deduplication here.
/// </summary>
public static class DuckDbSqlRenderer
{
    /// <summary>
    /// The latest version is a point lookup of latest_versions' one-column key (an index scan, not a scan of
    /// minute_counts); the writer keeps that table in the transaction that merges the rows.
    /// </summary>
    public const string LatestVersionSql = "SELECT version FROM latest_versions WHERE ad_shard = $key";

    // The invalid-click columns (DuckDbInvalidClickColumns), selected last in every grouping, in reason order.
    private const string InvalidColumns = "invalid_expired_token, invalid_known_crawler, invalid_too_early, invalid_address_flood, invalid_campaign_flood";

    private const string InvalidSums = "sum(invalid_expired_token)::BIGINT, sum(invalid_known_crawler)::BIGINT, sum(invalid_too_early)::BIGINT, "
        + "sum(invalid_address_flood)::BIGINT, sum(invalid_campaign_flood)::BIGINT";

    public static (string Sql, DuckDBParameter[] Parameters) Render(AggregateQuery query)
    {
        if (query.Grouping == AggregateGrouping.LatestVersion)
        {
            return (LatestVersionSql, [new("key", DuckDbAggregateDatabase.LatestVersionKey(new AdKey(query.AdId!.Value, query.Shard!.Value)))]);
        }

        // The filters every row source shares; the ad's and the range's are placed per source below.
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

        if (query.Shard is { } shard)
        {
            Filter("shard = $shard", "shard", shard);
        }

        if (query.AdIdPrefix is { } prefix)
        {
            Filter("starts_with(CAST(ad_id AS VARCHAR), $adIdPrefix)", "adIdPrefix", prefix);
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
                AppendCounts(sql, query, where, parameters, "date_trunc($granularity, {0}) AS bucket, clicks, impressions, " + InvalidColumns);
                sql.AppendLine("SELECT bucket, sum(clicks)::BIGINT AS clicks, sum(impressions)::BIGINT AS impressions, " + InvalidSums + " FROM counts")
                    .AppendLine("GROUP BY bucket").Append("ORDER BY bucket");
                break;
            case AggregateGrouping.Ads:
                AppendCounts(sql, query, where, parameters, "ad_id, campaign_id, clicks, impressions, " + InvalidColumns);
                sql.Append("SELECT ad_id, campaign_id, sum(clicks)::BIGINT AS clicks, sum(impressions)::BIGINT AS impressions, ").Append(InvalidSums);
                // The exact quotient of doubles: equal ratios (1/3, 2/6) are equal doubles, so they tie as KQL ranks them.
                sql.AppendLine(query.Sort == TopAdsSort.Ctr ? ", CASE WHEN sum(impressions) = 0 THEN 0.0 ELSE sum(clicks)::DOUBLE / sum(impressions) END AS ctr" : "");
                parameters.Add(new DuckDBParameter("limit", query.Limit));
                sql.AppendLine("FROM counts").AppendLine("GROUP BY ad_id, campaign_id").AppendLine(query.Sort switch
                {
                    TopAdsSort.Impressions => "ORDER BY impressions DESC, clicks DESC, ad_id",
                    TopAdsSort.Ctr => "ORDER BY ctr DESC, clicks DESC, impressions DESC, ad_id",
                    _ => "ORDER BY clicks DESC, impressions DESC, ad_id",
                }).Append("LIMIT $limit");
                break;
            default:
                AppendCounts(sql, query, where, parameters, "ad_id, shard, campaign_id, advertiser_id, {0} AS minute, clicks, impressions, version, " + InvalidColumns);
                sql.AppendLine("SELECT * FROM counts").Append("ORDER BY ad_id, shard, minute");
                break;
        }

        return (sql.ToString(), [.. parameters]);
    }

    /// <summary>
    /// Appends <c>WITH counts AS (...)</c>: the selected rows as <paramref name="columns"/> (<c>{0}</c> their time
    /// column). One ad's rows come from minute_counts by its ad_id index; otherwise the whole hours of a range
    /// come from hour_counts and only the minutes before the first and after the last whole hour from minute_counts.
    /// </summary>
    private static void AppendCounts(StringBuilder sql, AggregateQuery query, List<string> where, List<DuckDBParameter> parameters, string columns)
    {
        var sources = new List<string>();
        void Source(string table, string time, string range)
        {
            var filters = string.Join(" AND ", where.Append(range));
            sources.Add(string.Format(CultureInfo.InvariantCulture, "SELECT " + columns + " FROM {1} WHERE {2}", time, table, filters));
        }

        if (query.AdId is { } ad)
        {
            // DuckDB 1.5 serves the index only when the ad is the scan's only filter, so the ad alone first.
            parameters.Add(new DuckDBParameter("adId", ad));
            sql.AppendLine("WITH ad AS MATERIALIZED (SELECT * FROM minute_counts WHERE ad_id = $adId),");
            Source("ad", "minute", MinuteRange(query, parameters));
        }
        else if ((query.Grouping == AggregateGrouping.Ads || (query.Grouping == AggregateGrouping.Buckets && query.Granularity != Granularity.Minute))
                 && WholeHours(query) is ({ } firstHour, { } endHour))
        {
            parameters.Add(new DuckDBParameter("firstHour", firstHour));
            parameters.Add(new DuckDBParameter("endHour", endHour));
            sql.Append("WITH ");
            Source("hour_counts", "hour", "hour >= $firstHour AND hour < $endHour");
            var (from, to) = (query.From!.Value.UtcDateTime, query.To!.Value.UtcDateTime);
            if (from < firstHour)
            {
                parameters.Add(new DuckDBParameter("from", from));
                Source("minute_counts", "minute", "minute >= $from AND minute < $firstHour");
            }

            if (endHour < to)
            {
                parameters.Add(new DuckDBParameter("to", to));
                Source("minute_counts", "minute", "minute >= $endHour AND minute < $to");
            }
        }
        else
        {
            sql.Append("WITH ");
            Source("minute_counts", "minute", MinuteRange(query, parameters));
        }

        sql.AppendLine("counts AS (").AppendJoin("\nUNION ALL\n", sources).AppendLine(")");
    }

    private static string MinuteRange(AggregateQuery query, List<DuckDBParameter> parameters)
    {
        var range = new List<string>();
        if (query.From is { } from)
        {
            range.Add("minute >= $from");
            parameters.Add(new DuckDBParameter("from", from.UtcDateTime));
        }

        if (query.To is { } to)
        {
            range.Add("minute < $to");
            parameters.Add(new DuckDBParameter("to", to.UtcDateTime));
        }

        return range.Count == 0 ? "true" : string.Join(" AND ", range);
    }

    /// <summary>The whole UTC hours inside [From, To), or nulls when there are none.</summary>
    private static (DateTime? First, DateTime? End) WholeHours(AggregateQuery query)
    {
        if (query.From is not { } from || query.To is not { } to)
        {
            return (null, null);
        }

        var first = MinuteBucket.Truncate(from.AddTicks(TimeSpan.TicksPerHour - 1), Granularity.Hour).UtcDateTime;
        var end = MinuteBucket.Truncate(to, Granularity.Hour).UtcDateTime;
        return first < end ? (first, end) : (null, null);
    }

    /// <summary>
    /// A breakdown read: the scope's hour_breakdowns rows of the dimension and hours, summed per value. One ad's rows
    /// come by its ad_id index first, as <see cref="Render"/> reads one ad's minutes.
    /// </summary>
    public static (string Sql, DuckDBParameter[] Parameters) RenderBreakdown(BreakdownQuery query)
    {
        var where = new List<string> { "dimension = $dimension", "hour >= $from", "hour < $to" };
        var parameters = new List<DuckDBParameter>
        {
            new("dimension", query.Dimension.ApiName()), new("from", query.From.UtcDateTime), new("to", query.To.UtcDateTime),
        };
        void Filter(string condition, string name, object value)
        {
            where.Add(condition);
            parameters.Add(new DuckDBParameter(name, value));
        }

        if (query.Tenant.AdvertiserId is { } tenant)
        {
            Filter("advertiser_id = $tenantId", "tenantId", tenant);
        }

        if (query.Scope.AdvertiserId is { } advertiser)
        {
            Filter("advertiser_id = $advertiserId", "advertiserId", advertiser);
        }

        if (query.Scope.CampaignId is { } campaign)
        {
            Filter("campaign_id = $campaignId", "campaignId", campaign);
        }

        var sql = new StringBuilder();
        var source = "hour_breakdowns";
        if (query.Scope.AdId is { } ad)
        {
            parameters.Add(new DuckDBParameter("adId", ad));
            sql.AppendLine("WITH ad AS MATERIALIZED (SELECT * FROM hour_breakdowns WHERE ad_id = $adId)");
            source = "ad";
        }

        sql.Append("SELECT value, sum(clicks)::BIGINT AS clicks, sum(impressions)::BIGINT AS impressions FROM ").AppendLine(source)
            .Append("WHERE ").AppendJoin(" AND ", where).AppendLine()
            .AppendLine("GROUP BY value")
            .Append("ORDER BY clicks DESC, impressions DESC, value");
        return (sql.ToString(), [.. parameters]);
    }
}
