using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>
/// Runs management commands (a <c>csl</c> starting with a dot: <c>.show</c>, <c>.create-merge</c>, …) over
/// <c>POST {cluster}/v1/rest/mgmt</c>, whose answer is <c>{"Tables":[{"TableName","Columns":[{"ColumnName","DataType","ColumnType"}],"Rows"}]}</c>.
/// Requests, retries and errors as <see cref="KustoQueryClient"/>'s.
/// </summary>
public sealed class KustoManagementClient
{
    private readonly KustoRequestSender _sender;

    public KustoManagementClient(HttpClient http, KustoConnection connection, KustoClientOptions? options = null, TimeProvider? timeProvider = null) =>
        _sender = new KustoRequestSender(http, connection, options, timeProvider);

    /// <summary>Runs <paramref name="command"/> on <paramref name="database"/>.</summary>
    /// <param name="serverTimeout">How long the server may run it; 1 minute unless given.</param>
    /// <exception cref="KustoException">The cluster refused or failed the command; the message is the server's.</exception>
    public Task<KustoManagementResult> ExecuteAsync(string database, string command, TimeSpan? serverTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        if (!command.TrimStart().StartsWith('.'))
        {
            throw new ArgumentException("A management command starts with a dot; run queries with KustoQueryClient.", nameof(command));
        }

        var body = Body(database, command, serverTimeout ?? TimeSpan.FromMinutes(1));
        return _sender.SendAsync("v1/rest/mgmt", () => KustoRequestSender.JsonContent(body), Read, cancellationToken);
    }

    internal static byte[] Body(string database, string command, TimeSpan serverTimeout)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("db", database);
            json.WriteString("csl", command);
            json.WriteStartObject("properties");
            json.WriteStartObject("Options");
            json.WriteString("servertimeout", serverTimeout.ToString("c", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static KustoManagementResult Read(JsonElement? root, string requestId)
    {
        if (root is not { ValueKind: JsonValueKind.Object } response || !response.TryGetProperty("Tables", out var tables)
            || tables.ValueKind != JsonValueKind.Array || tables.GetArrayLength() == 0)
        {
            throw Failed("The management response has no Tables: it may be cut short.", requestId);
        }

        var result = new List<KustoTable>();
        foreach (var table in tables.EnumerateArray())
        {
            var columns = table.TryGetProperty("Columns", out var c) && c.ValueKind == JsonValueKind.Array
                ? c.EnumerateArray().Select(column => new KustoColumn(Text(column, "ColumnName") ?? "", Text(column, "ColumnType") ?? Text(column, "DataType") ?? "")).ToList()
                : [];
            var rows = new List<JsonElement[]>();
            if (table.TryGetProperty("Rows", out var r) && r.ValueKind == JsonValueKind.Array)
            {
                foreach (var row in r.EnumerateArray())
                {
                    // v1 writes a failure after the response started as an object in place of a row.
                    if (row.ValueKind == JsonValueKind.Object)
                    {
                        throw Failed(RowError(row), requestId);
                    }

                    rows.Add([.. row.EnumerateArray()]);
                }
            }

            result.Add(new KustoTable(Text(table, "TableName") ?? "", columns, rows));
        }

        return new KustoManagementResult(result, requestId);
    }

    private static string RowError(JsonElement row) =>
        row.TryGetProperty("Exceptions", out var exceptions) && exceptions.ValueKind == JsonValueKind.Array && exceptions.GetArrayLength() > 0
            ? exceptions[0].ToString()
            : "The management command failed while its result was written.";

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static KustoException Failed(string message, string requestId) => new(message, null, HttpStatusCode.OK, false, requestId);
}
