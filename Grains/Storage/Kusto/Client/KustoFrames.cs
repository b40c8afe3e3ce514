using System.Net;
using System.Text.Json;

namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>
/// Reads a v2 query response, a JSON array of frames. A 200 can still carry a failure: DataSetCompletion with
/// HasErrors or Cancelled, QueryCompletionInformation rows of Level ≤ 2 (critical, error), OneApiErrors in a
/// TableCompletion, an error object in place of a row, or a stream cut before DataSetCompletion. Each is a <see cref="KustoException"/>.
/// </summary>
internal static class KustoFrames
{
    private const int ErrorLevel = 2;

    public static KustoQueryResult Read(JsonElement root, string requestId)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw Failed("The response is not an array of v2 frames.", null, requestId);
        }

        List<KustoColumn>? primaryColumns = null;
        List<JsonElement[]>? primaryRows = null;
        var progressive = new Dictionary<int, (string Kind, List<KustoColumn> Columns, List<JsonElement[]> Rows)>();
        var completed = false;

        foreach (var frame in root.EnumerateArray())
        {
            switch (Text(frame, "FrameType"))
            {
                case "DataTable":
                    var kind = Text(frame, "TableKind");
                    var columns = Columns(frame);
                    var rows = Rows(frame, requestId);
                    if (kind == "QueryCompletionInformation")
                    {
                        ThrowOnErrorLevels(columns, rows, requestId);
                    }
                    else if (kind == "PrimaryResult" && primaryColumns is null)
                    {
                        (primaryColumns, primaryRows) = (columns, rows);
                    }

                    break;
                case "TableHeader":
                    progressive[TableId(frame)] = (Text(frame, "TableKind") ?? "", Columns(frame), []);
                    break;
                case "TableFragment":
                    var table = progressive.GetValueOrDefault(TableId(frame));
                    if (table.Rows is null)
                    {
                        throw Failed("A TableFragment came before its TableHeader.", null, requestId);
                    }

                    if (Text(frame, "TableFragmentType") == "DataReplace")
                    {
                        table.Rows.Clear();
                    }

                    table.Rows.AddRange(Rows(frame, requestId));
                    break;
                case "TableCompletion":
                    ThrowOnOneApiErrors(frame, requestId);
                    if (progressive.Remove(TableId(frame), out var done) && done.Kind == "PrimaryResult" && primaryColumns is null)
                    {
                        (primaryColumns, primaryRows) = (done.Columns, done.Rows);
                    }

                    break;
                case "DataSetCompletion":
                    ThrowOnOneApiErrors(frame, requestId);
                    if (Bool(frame, "HasErrors"))
                    {
                        throw Failed("The query failed: the data set completed with errors.", null, requestId);
                    }

                    if (Bool(frame, "Cancelled"))
                    {
                        throw Failed("The query was cancelled by the server.", null, requestId);
                    }

                    completed = true;
                    break;
            }
        }

        if (!completed)
        {
            throw Failed("The response ended before DataSetCompletion: the result may be incomplete.", null, requestId);
        }

        return primaryColumns is null
            ? throw Failed("The response has no PrimaryResult table.", null, requestId)
            : new KustoQueryResult(primaryColumns, primaryRows!, requestId);
    }

    /// <summary>The body of a 4xx/5xx, <c>{"error":{code, message, @permanent, …}}</c>.</summary>
    public static KustoException FromErrorBody(JsonElement? body, HttpStatusCode status, string requestId)
    {
        if (body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            return new KustoException(Message(error) ?? $"Kusto answered {(int)status}.", Text(error, "code"), status, Bool(error, "@permanent"), requestId);
        }

        return new KustoException($"Kusto answered {(int)status} {status}.", null, status, false, requestId);
    }

    private static void ThrowOnErrorLevels(List<KustoColumn> columns, List<JsonElement[]> rows, string requestId)
    {
        var level = columns.FindIndex(c => c.Name == "Level");
        var description = columns.FindIndex(c => c.Name == "StatusDescription");
        var payload = columns.FindIndex(c => c.Name == "Payload");
        if (level < 0)
        {
            return;
        }

        foreach (var row in rows)
        {
            if (row[level].ValueKind == JsonValueKind.Number && row[level].GetInt32() <= ErrorLevel)
            {
                var message = payload >= 0 ? PayloadMessage(row[payload]) : null;
                message ??= description >= 0 && row[description].ValueKind == JsonValueKind.String ? row[description].GetString() : null;
                throw Failed(message ?? "The query reported an error in QueryCompletionInformation.", null, requestId);
            }
        }
    }

    // The Payload column holds a JSON text, often an OneApi error object.
    private static string? PayloadMessage(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload.GetString()!);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                ? Message(error)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void ThrowOnOneApiErrors(JsonElement frame, string requestId)
    {
        if (frame.TryGetProperty("OneApiErrors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            throw FromOneApiError(errors[0], requestId);
        }
    }

    private static KustoException FromOneApiError(JsonElement item, string requestId)
    {
        var error = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("error", out var e) ? e : item;
        return new KustoException(Message(error) ?? "The query failed.", Text(error, "code"), HttpStatusCode.OK, Bool(error, "@permanent"), requestId);
    }

    private static string? Message(JsonElement error) => Text(error, "@message") is { Length: > 0 } detail
        ? Text(error, "message") is { Length: > 0 } message && message != detail ? $"{message}: {detail}" : detail
        : Text(error, "message");

    private static List<KustoColumn> Columns(JsonElement frame) =>
        frame.TryGetProperty("Columns", out var columns) && columns.ValueKind == JsonValueKind.Array
            ? [.. columns.EnumerateArray().Select(c => new KustoColumn(Text(c, "ColumnName") ?? "", Text(c, "ColumnType") ?? Text(c, "DataType") ?? ""))]
            : [];

    private static List<JsonElement[]> Rows(JsonElement frame, string requestId)
    {
        var rows = new List<JsonElement[]>();
        if (!frame.TryGetProperty("Rows", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return rows;
        }

        foreach (var row in array.EnumerateArray())
        {
            // A failure mid-result is written as an object where a row belongs.
            if (row.ValueKind == JsonValueKind.Object)
            {
                throw row.TryGetProperty("OneApiErrors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                    ? FromOneApiError(errors[0], requestId)
                    : FromOneApiError(row, requestId);
            }

            if (row.ValueKind == JsonValueKind.Array)
            {
                rows.Add([.. row.EnumerateArray()]);
            }
        }

        return rows;
    }

    private static int TableId(JsonElement frame) =>
        frame.TryGetProperty("TableId", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt32() : -1;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static KustoException Failed(string message, string? code, string requestId) => new(message, code, HttpStatusCode.OK, false, requestId);
}
