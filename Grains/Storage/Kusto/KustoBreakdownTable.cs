namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>The names of the ADX objects that infra/kusto/schema.kql creates for the hourly breakdowns.</summary>
public static class KustoBreakdownTable
{
    /// <summary>The append-only table of versioned breakdown rows.</summary>
    public const string Name = "AdHourBreakdowns";

    /// <summary>The JSON ingestion mapping rows are ingested through.</summary>
    public const string JsonMapping = "AdHourBreakdownsJson";

    /// <summary>The materialized view of each row's latest version.</summary>
    public const string LatestView = "AdHourBreakdownLatest";
}
