using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Polly;
using Polly.Retry;

namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>
/// Runs read-only KQL queries on Azure Data Explorer over its REST API (<c>POST {cluster}/v2/rest/query</c>), with
/// typed parameters, a server timeout and a row cap on every query, and retries with backoff on throttling (429),
/// server errors (5xx) and network errors; never on an error the server calls permanent, nor on another 4xx.
/// </summary>
public sealed class KustoQueryClient
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly KustoConnection _connection;
    private readonly KustoClientOptions _options;
    private readonly ResiliencePipeline _pipeline;

    public KustoQueryClient(HttpClient http, KustoConnection connection, KustoClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        _http = http;
        _connection = connection;
        _options = options ?? new KustoClientOptions();
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxRetryAttempts,
                Delay = _options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception switch
                {
                    KustoException e => e.IsTransient,
                    HttpRequestException => true,
                    // HttpClient's own timeout, not the caller's cancellation.
                    OperationCanceledException => !args.Context.CancellationToken.IsCancellationRequested,
                    _ => false,
                }),
            })
            .Build();
    }

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
        return _pipeline.ExecuteAsync(async ct => await SendAsync(body, ct).ConfigureAwait(false), cancellationToken).AsTask();
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

    private async Task<KustoQueryResult> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        var requestId = $"{_options.ClientName};{Guid.NewGuid():D}";
        var token = await _connection.Credential.GetTokenAsync(new TokenRequestContext([_connection.TokenScope]), cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_connection.ClusterUri, "v2/rest/query"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        request.Headers.Accept.Add(Json);
        request.Headers.Add("x-ms-client-request-id", requestId);
        request.Headers.Add("x-ms-app", _options.ClientName);
        request.Headers.Add("x-ms-client-version", $"{_options.ClientName}.Kusto;1.0");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await using var content = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        JsonElement? root;
        try
        {
            using var document = await JsonDocument.ParseAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
            root = document.RootElement.Clone();
        }
        catch (JsonException) when (!response.IsSuccessStatusCode)
        {
            root = null;
        }
        catch (JsonException)
        {
            // A 200 cut mid-body is a truncated stream: the result cannot be trusted.
            throw new KustoException("The response ended before DataSetCompletion: the result may be incomplete.", null, response.StatusCode, false, requestId);
        }

        return response.IsSuccessStatusCode
            ? KustoFrames.Read(root!.Value, requestId)
            : throw KustoFrames.FromErrorBody(root, response.StatusCode, requestId);
    }
}
