namespace Orleans.AdClicks.Hosting;

/// <summary>
/// A service a concern can run on. Which concern accepts which, and which connection string each
/// needs, is listed once in <see cref="AdClicksBackends"/>.
/// </summary>
public enum Backend
{
    /// <summary>In this process: memory streams, files and DuckDB under the data directory.</summary>
    Embedded,

    /// <summary>Azure Storage (tables, queues) by <c>ConnectionStrings:AzureStorage</c>.</summary>
    AzureStorage,

    /// <summary>Azure Event Hubs by <c>ConnectionStrings:EventHubs</c>: the click log only.</summary>
    EventHubs,

    /// <summary>Azure Data Explorer by <c>ConnectionStrings:Kusto</c>: the aggregates only.</summary>
    Kusto,
}
