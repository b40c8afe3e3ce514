namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// The hourly breakdowns' table: one row per (ad, shard, hour, dimension, value), merged by version in the writer's
/// commit like minute_counts, with a one-column index on ad_id for the same reason as minute_counts_by_ad. Created on
/// every open, so a file written before breakdowns existed gets it (empty: breakdowns start when this version runs).
/// </summary>
internal sealed partial class DuckDbAggregateDatabase
{
    private const string BreakdownSchemaSql = """
        CREATE TABLE IF NOT EXISTS hour_breakdowns (
            ad_id UUID NOT NULL,
            shard INTEGER NOT NULL,
            hour TIMESTAMP NOT NULL,
            dimension VARCHAR NOT NULL,
            value VARCHAR NOT NULL,
            campaign_id UUID NOT NULL,
            advertiser_id UUID NOT NULL,
            clicks BIGINT NOT NULL,
            impressions BIGINT NOT NULL,
            version BIGINT NOT NULL,
            PRIMARY KEY (ad_id, shard, hour, dimension, value));
        CREATE INDEX IF NOT EXISTS hour_breakdowns_by_ad ON hour_breakdowns (ad_id);
        """;
}
