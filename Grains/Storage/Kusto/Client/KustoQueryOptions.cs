namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>The limits every query carries: a server timeout and a row cap (the server fails a query that would return more).</summary>
public sealed record KustoQueryOptions
{
    /// <summary>How long the server may run the query.</summary>
    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most rows the query may return.</summary>
    public long MaxRecords { get; init; } = 100_000;
}
