namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>The names of the ADX objects that infra/kusto/schema.kql creates for the minute aggregates.</summary>
public static class KustoAggregateTable
{
    /// <summary>The append-only table of versioned minute rows.</summary>
    public const string Name = "AdMinuteAggregates";

    /// <summary>The JSON ingestion mapping rows are ingested through.</summary>
    public const string JsonMapping = "AdMinuteAggregatesJson";

    /// <summary>The materialized view of each row's latest version.</summary>
    public const string LatestView = "AdMinuteLatest";
}
