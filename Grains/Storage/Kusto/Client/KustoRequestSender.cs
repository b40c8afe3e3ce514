using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Core;
using Polly;
using Polly.Retry;

namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>
/// What every request to the cluster shares, whichever endpoint (query v2, management v1, streaming ingestion):
/// a bearer token for <c>{cluster}/.default</c>, a new <c>x-ms-client-request-id</c> per attempt, the client's
/// name, retries with backoff on throttling (429), server errors (5xx) and network errors, never on an error the
/// server calls permanent nor on another 4xx, and an error body read into a <see cref="KustoException"/>.
/// </summary>
internal sealed class KustoRequestSender
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly KustoConnection _connection;
    private readonly KustoClientOptions _options;
    private readonly ResiliencePipeline _pipeline;

    public KustoRequestSender(HttpClient http, KustoConnection connection, KustoClientOptions? options, TimeProvider? timeProvider)
    {
        _http = http;
        _connection = connection;
        _options = options ?? new KustoClientOptions();
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System };
        // None at all is allowed: a caller with its own backoff (the minute-row writer) may want the first error at once.
        if (_options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions
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
            });
        }

        _pipeline = pipeline.Build();
    }

    public KustoConnection Connection => _connection;

    /// <summary>
    /// Posts to <paramref name="relativeUri"/> (retrying as above) and hands a success's body to <paramref name="read"/>:
    /// its JSON root, or null when the body is no complete JSON document.
    /// </summary>
    /// <param name="content">Called once per attempt: a sent content cannot be sent again.</param>
    public Task<T> SendAsync<T>(string relativeUri, Func<HttpContent> content, Func<JsonElement?, string, T> read, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(async ct => await SendOnceAsync(relativeUri, content, read, ct).ConfigureAwait(false), cancellationToken).AsTask();

    /// <summary>A JSON body as the query and management endpoints take it.</summary>
    public static HttpContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private async Task<T> SendOnceAsync<T>(string relativeUri, Func<HttpContent> content, Func<JsonElement?, string, T> read, CancellationToken cancellationToken)
    {
        var requestId = $"{_options.ClientName};{Guid.NewGuid():D}";
        var token = await _connection.Credential.GetTokenAsync(new TokenRequestContext([_connection.TokenScope]), cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_connection.ClusterUri, relativeUri));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        request.Headers.Accept.Add(Json);
        request.Headers.Add("x-ms-client-request-id", requestId);
        request.Headers.Add("x-ms-app", _options.ClientName);
        request.Headers.Add("x-ms-client-version", $"{_options.ClientName}.Kusto;1.0");
        request.Content = content();

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        JsonElement? root;
        try
        {
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            root = null;
        }

        return response.IsSuccessStatusCode
            ? read(root, requestId)
            : throw KustoFrames.FromErrorBody(root, response.StatusCode, requestId);
    }
}
