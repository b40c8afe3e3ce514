using System.Net;
using System.Net.Http.Headers;

namespace Orleans.AdClicks.Tests.Kusto.Client;

/// <summary>Answers each request with the next recorded v2 response (a file under Tests/Kusto/Frames) and keeps what was sent.</summary>
internal sealed class RecordingKustoHandler(params (HttpStatusCode Status, string Frames)[] responses) : HttpMessageHandler
{
    /// <summary>A status that makes the handler fail as a reset connection does, before any response.</summary>
    public const HttpStatusCode ConnectionReset = 0;

    private int _next;

    public List<RecordedRequest> Requests { get; } = [];

    public static string FramesPath(string name) => Path.Combine(AppContext.BaseDirectory, "Kusto", "Frames", name);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(new RecordedRequest(request.Method, request.RequestUri!, request.Headers, request.Content?.Headers.ContentType, body));
        var (status, frames) = responses[Math.Min(_next++, responses.Length - 1)];
        if (status == ConnectionReset)
        {
            throw new HttpRequestException("Connection reset by peer.");
        }

        return new HttpResponseMessage(status)
        {
            Content = new ByteArrayContent(await File.ReadAllBytesAsync(FramesPath(frames), cancellationToken))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
            },
        };
    }
}

internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, HttpRequestHeaders Headers, MediaTypeHeaderValue? ContentType, string Body);
