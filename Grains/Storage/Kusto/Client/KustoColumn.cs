namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>A column of a result table: its name and its Kusto type (string, long, datetime, guid, …).</summary>
public sealed record KustoColumn(string Name, string Type);
