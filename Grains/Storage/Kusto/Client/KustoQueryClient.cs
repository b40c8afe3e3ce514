using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>
/// Runs read-only KQL queries on Azure Data Explorer over its REST API (<c>POST {cluster}/v2/rest/query</c>), with
/// typed parameters, a server timeout and a row cap on every query, and retries with backoff on throttling (429),
/// server errors (5xx) and network errors; never on an error the server calls permanent, nor on another 4xx.
/// </summary>
public sealed class KustoQueryClient
{
    private readonly KustoRequestSender _sender;

    public KustoQueryClient(HttpClient http, KustoConnection connection, KustoClientOptions? options = null, TimeProvider? timeProvider = null) =>
        _sender = new KustoRequestSender(http, connection, options, timeProvider);

    /// <summary>Runs <paramref name="kql"/> on <paramref name="database"/> and returns its primary result.</summary>
    /// <exception cref="KustoException">The cluster refused or failed the query, also inside a 200; the message is the server's.</exception>
    public Task<KustoQueryResult> QueryAsync(string database, string kql, IReadOnlyList<KustoParameter> parameters, KustoQueryOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(kql);
        var duplicate = parameters.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The query parameter {duplicate.Key} is given twice.", nameof(parameters));
        }

        var body = Body(database, kql, parameters, options);
        return _sender.SendAsync("v2/rest/query", () => KustoRequestSender.JsonContent(body), Read, cancellationToken);
    }

    internal static byte[] Body(string database, string kql, IReadOnlyList<KustoParameter> parameters, KustoQueryOptions options)
    {
        var csl = parameters.Count == 0
            ? kql
            : $"declare query_parameters({string.Join(", ", parameters.Select(p => $"{p.Name}:{p.Type}"))});\n{kql}";
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("db", database);
            json.WriteString("csl", csl);
            json.WriteStartObject("properties");
            json.WriteStartObject("Options");
            json.WriteString("servertimeout", options.ServerTimeout.ToString("c", CultureInfo.InvariantCulture));
            json.WriteNumber("truncationmaxrecords", options.MaxRecords);
            json.WriteBoolean("request_readonly", true);
            json.WriteEndObject();
            json.WriteStartObject("Parameters");
            foreach (var parameter in parameters)
            {
                json.WriteString(parameter.Name, parameter.Value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    // A 200 cut mid-body is a truncated stream: the result cannot be trusted.
    private static KustoQueryResult Read(JsonElement? root, string requestId) => root is { } frames
        ? KustoFrames.Read(frames, requestId)
        : throw new KustoException("The response ended before DataSetCompletion: the result may be incomplete.", null, HttpStatusCode.OK, false, requestId);
}
