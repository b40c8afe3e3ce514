using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Orleans.AdClicks.Tests.Kusto.Client;

namespace Orleans.AdClicks.Tests.Kusto.Ingestion;

/// <summary>
/// Answers streaming ingestion requests as a script says (a recorded response, or one that waits for the test),
/// and keeps each request with its body gunzipped.
/// </summary>
internal sealed class ScriptedIngestHandler(Func<int, IngestRequest, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private int _count;

    /// <summary>Every request answered with <paramref name="status"/> and the recorded <paramref name="frames"/>.</summary>
    public ScriptedIngestHandler(HttpStatusCode status = HttpStatusCode.OK, string frames = "ingest-ok.json")
        : this((_, _, _) => Task.FromResult(Response(status, frames)))
    {
    }

    public ConcurrentQueue<IngestRequest> Requests { get; } = new();

    /// <summary>Requests that came in, whether answered yet or not.</summary>
    public int Count => Volatile.Read(ref _count);

    public static HttpResponseMessage Response(HttpStatusCode status, string frames) => new(status)
    {
        Content = new ByteArrayContent(File.ReadAllBytes(RecordingKustoHandler.FramesPath(frames)))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
        },
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var raw = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var gzipped = request.Content.Headers.ContentEncoding.Contains("gzip");
        var body = gzipped ? Gunzip(raw) : Encoding.UTF8.GetString(raw);
        var headers = request.Headers.Concat(request.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var recorded = new IngestRequest(request.Method, request.RequestUri!, headers, body);
        var n = Interlocked.Increment(ref _count);
        var response = await respond(n, recorded, cancellationToken);
        // Kept once answered, so a test sees only requests whose fate is decided.
        Requests.Enqueue(recorded with { Status = response.StatusCode });
        return response;
    }

    private static string Gunzip(byte[] raw)
    {
        using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>One ingestion request: its headers (content headers too) and its body, gunzipped.</summary>
internal sealed record IngestRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public HttpStatusCode? Status { get; init; }

    public bool Succeeded => Status == HttpStatusCode.OK;
}
