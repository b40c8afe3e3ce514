namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>What a management command returned: its tables, the first being the command's result.</summary>
public sealed class KustoManagementResult(IReadOnlyList<KustoTable> tables, string requestId)
{
    public IReadOnlyList<KustoTable> Tables { get; } = tables;

    /// <summary>The command's result, the first table.</summary>
    public KustoTable Primary => Tables[0];

    /// <summary>The <c>x-ms-client-request-id</c> the command was sent with.</summary>
    public string RequestId { get; } = requestId;
}
