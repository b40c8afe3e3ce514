namespace Orleans.AdClicks.Storage.Aggregates.Queries;

/// <summary>What an <see cref="AggregateQuery"/> returns from the rows it selects, and in which order.</summary>
public enum AggregateGrouping
{
    /// <summary>Sums of clicks and impressions per bucket of the query's granularity, oldest first; empty buckets left out.</summary>
    Buckets,

    /// <summary>Sums per ad (with its campaign) in the query's <see cref="Models.TopAdsSort"/> order, ties by clicks, impressions, then ad id; at most the query's limit.</summary>
    Ads,

    /// <summary>The rows themselves, by ad id, shard and minute.</summary>
    Rows,

    /// <summary>The highest version of the selected rows, or none.</summary>
    LatestVersion,
}
