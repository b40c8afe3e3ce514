using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Tests.Kusto.Client;

namespace Orleans.AdClicks.Tests.Kusto.Backend;

/// <summary>
/// The HTTP side of an ADX cluster for the silo's and the Api's real Kusto clients, without a cluster: management
/// commands answer with the recorded schema responses, streaming ingestion keeps each row it is sent, and queries
/// answer with the v2 frames the test gives for them. Nothing here runs KQL.
/// </summary>
internal sealed class ScriptedKustoCluster : HttpMessageHandler
{
    private readonly string _schemaFrames;

    /// <param name="schemaFrames">The answer to <c>.show database schema as json</c>, a file under Tests/Kusto/Frames.</param>
    public ScriptedKustoCluster(string schemaFrames = "mgmt-database-schema.json") => _schemaFrames = schemaFrames;

    /// <summary>The frames answering a query, or null for an empty result of the shape the query asks for.</summary>
    public Func<SentQuery, string?> Answer { get; set; } = _ => null;

    /// <summary>Which queries the cluster throttles (429 with the recorded throttling body), every time they come.</summary>
    public Func<SentQuery, bool> Throttle { get; set; } = _ => false;

    public ConcurrentQueue<SentQuery> Queries { get; } = new();

    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>Each streaming ingestion request's rows, in the order they came.</summary>
    public ConcurrentQueue<IngestedBatch> Ingested { get; } = new();

    /// <summary>Every minute row ingested, in order.</summary>
    public IReadOnlyList<IngestedMinuteRow> MinuteRows =>
        [.. Ingested.Where(b => b.Table == "AdMinuteAggregates").SelectMany(b => b.Rows).Select(IngestedMinuteRow.From)];

    /// <summary>v2 frames holding one primary result.</summary>
    public static string Frames(IReadOnlyList<(string Name, string Type)> columns, IEnumerable<object?[]> rows)
    {
        var primary = new JsonObject
        {
            ["FrameType"] = "DataTable",
            ["TableId"] = 1,
            ["TableKind"] = "PrimaryResult",
            ["TableName"] = "PrimaryResult",
            ["Columns"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject { ["ColumnName"] = c.Name, ["ColumnType"] = c.Type })]),
            ["Rows"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonArray([.. r.Select(Cell)]))]),
        };
        return new JsonArray(
            new JsonObject { ["FrameType"] = "DataSetHeader", ["IsProgressive"] = false, ["Version"] = "v2.0" },
            primary,
            new JsonObject { ["FrameType"] = "DataSetCompletion", ["HasErrors"] = false, ["Cancelled"] = false }).ToJsonString();
    }

    // As ADX writes cells: numbers as numbers, guids and datetimes (ISO 8601 UTC) as strings.
    private static JsonNode? Cell(object? value) => value switch
    {
        null => null,
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        Guid g => JsonValue.Create(g.ToString("D")),
        DateTimeOffset d => JsonValue.Create(d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value.ToString()),
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var raw = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        if (path == "/v1/rest/mgmt")
        {
            var csl = JsonDocument.Parse(raw).RootElement.GetProperty("csl").GetString()!;
            Commands.Enqueue(csl);
            return Recorded(csl switch
            {
                _ when csl.StartsWith(".show database schema", StringComparison.Ordinal) => _schemaFrames,
                _ when csl.StartsWith(".show table ReconciliationMismatches ingestion json mappings", StringComparison.Ordinal) => "mgmt-mappings-mismatches.json",
                _ when csl.StartsWith(".show table AdHourBreakdowns ingestion json mappings", StringComparison.Ordinal) => "mgmt-mappings-breakdowns.json",
                _ when csl.EndsWith("ingestion json mappings", StringComparison.Ordinal) => "mgmt-mappings.json",
                _ when csl.EndsWith("policy streamingingestion", StringComparison.Ordinal) => "mgmt-streaming-policy.json",
                _ => "mgmt-bad-request.json",
            });
        }

        if (path.StartsWith("/v1/rest/ingest/", StringComparison.Ordinal))
        {
            var body = request.Content.Headers.ContentEncoding.Contains("gzip") ? Gunzip(raw) : raw;
            Ingested.Enqueue(new IngestedBatch(path.Split('/')[^1], Objects(body)));
            return Recorded("ingest-ok.json");
        }

        var query = JsonDocument.Parse(raw).RootElement;
        var sent = new SentQuery(query.GetProperty("csl").GetString()!, query.GetProperty("properties").GetProperty("Parameters").Clone());
        Queries.Enqueue(sent);
        return Throttle(sent)
            ? Json(File.ReadAllText(RecordingKustoHandler.FramesPath("throttled.json")), HttpStatusCode.TooManyRequests)
            : Json(Answer(sent) ?? EmptyResult(sent.Csl));
    }

    // The columns each kind of query the product sends returns (KqlRenderer), for a result without rows.
    private static string EmptyResult(string csl) => csl switch
    {
        _ when csl.Contains("max(Version)", StringComparison.Ordinal) => Frames([("Version", "long")], [[null]]),
        _ when csl.Contains("by Start", StringComparison.Ordinal) => Frames(SeriesColumns, []),
        _ when csl.Contains("by Value", StringComparison.Ordinal) => Frames([("Value", "string"), ("Clicks", "long"), ("Impressions", "long")], []),
        _ when csl.Contains("by AdId, CampaignId", StringComparison.Ordinal) =>
            Frames([("AdId", "guid"), ("CampaignId", "guid"), ("Clicks", "long"), ("Impressions", "long"), .. InvalidColumns], []),
        _ => Frames(HourColumns, []),
    };

    /// <summary>The invalid-click columns every count query returns after its others, in reason order.</summary>
    public static readonly (string Name, string Type)[] InvalidColumns =
        [("InvalidExpiredToken", "long"), ("InvalidKnownCrawler", "long"), ("InvalidTooEarly", "long"), ("InvalidAddressFlood", "long"), ("InvalidCampaignFlood", "long")];

    /// <summary>The columns of a series read.</summary>
    public static readonly (string Name, string Type)[] SeriesColumns = [("Start", "datetime"), ("Clicks", "long"), ("Impressions", "long"), .. InvalidColumns];

    /// <summary>The columns of reconciliation's hour read.</summary>
    public static readonly (string Name, string Type)[] HourColumns =
    [
        ("AdId", "guid"), ("Shard", "int"), ("CampaignId", "guid"), ("AdvertiserId", "guid"), ("Minute", "datetime"),
        ("Clicks", "long"), ("Impressions", "long"), ("Version", "long"), .. InvalidColumns,
    ];

    // The writers put one object per line.
    private static List<JsonElement> Objects(byte[] multiJson) =>
        [.. Encoding.UTF8.GetString(multiJson).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    private static byte[] Gunzip(byte[] raw)
    {
        using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    private static HttpResponseMessage Recorded(string frames) => Json(File.ReadAllText(RecordingKustoHandler.FramesPath(frames)),
        frames == "mgmt-bad-request.json" ? HttpStatusCode.BadRequest : HttpStatusCode.OK);

    private static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) => new(status)
    {
        Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
    };
}

/// <summary>A query as the cluster received it: its text (with the declare line) and its Parameters property.</summary>
internal sealed record SentQuery(string Csl, JsonElement Parameters)
{
    public string? Parameter(string name) => Parameters.TryGetProperty(name, out var value) ? value.GetString() : null;
}

internal sealed record IngestedBatch(string Table, IReadOnlyList<JsonElement> Rows);

/// <summary>A minute row as ingested, with the time the writer stamped on it.</summary>
internal sealed record IngestedMinuteRow(MinuteCountRow Row, DateTimeOffset WrittenAt)
{
    public static IngestedMinuteRow From(JsonElement row) => new(
        new MinuteCountRow(
            row.GetProperty("AdId").GetGuid(), row.GetProperty("Shard").GetInt32(), row.GetProperty("CampaignId").GetGuid(),
            row.GetProperty("AdvertiserId").GetGuid(), row.GetProperty("Minute").GetDateTimeOffset(), row.GetProperty("Clicks").GetInt64(),
            row.GetProperty("Impressions").GetInt64(), row.GetProperty("Version").GetInt64(),
            new InvalidClickCounts(
                row.GetProperty("InvalidExpiredToken").GetInt64(), row.GetProperty("InvalidKnownCrawler").GetInt64(), row.GetProperty("InvalidTooEarly").GetInt64(),
                row.GetProperty("InvalidAddressFlood").GetInt64(), row.GetProperty("InvalidCampaignFlood").GetInt64())),
        row.GetProperty("WrittenAt").GetDateTimeOffset());
}
