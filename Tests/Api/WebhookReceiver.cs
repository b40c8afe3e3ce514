using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Webhooks;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>
/// A real HTTP receiver on a loopback port: records every delivery POSTed to /{name} and answers as the test told it
/// for that name (200 unless told otherwise).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<ReceivedWebhook, Task<int>>> _answers = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly string _baseUrl;
    private long _sequence;

    private WebhookReceiver(WebApplication app, string baseUrl) => (_app, _baseUrl) = (app, baseUrl);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var baseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(baseUrl);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, baseUrl);
        app.MapPost("/{name}", receiver.ReceiveAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return receiver;
    }

    /// <summary>The URL of a receiver endpoint of its own for one test.</summary>
    public string Url(string name) => $"{_baseUrl}/{name}";

    /// <summary>How /{name} answers: the status code for each delivery it gets (told how many times its event came before).</summary>
    public void Answer(string name, Func<ReceivedWebhook, Task<int>> answer) => _answers[name] = answer;

    /// <summary>What /{name} received, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> ReceivedAt(string name) => [.. _received.Where(r => r.Name == name).OrderBy(r => r.Sequence)];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> ReceiveAsync(string name, HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var eventId = request.Headers[WebhookSignature.EventIdHeader].ToString();
        var received = new ReceivedWebhook(
            name,
            Interlocked.Increment(ref _sequence),
            eventId,
            request.Headers[WebhookSignature.EventTypeHeader].ToString(),
            request.Headers[WebhookSignature.TimestampHeader].ToString(),
            request.Headers[WebhookSignature.SignatureHeader].ToString(),
            body,
            _received.Count(r => r.Name == name && r.EventId == eventId) + 1,
            DateTimeOffset.UtcNow);
        _received.Enqueue(received);
        var status = _answers.TryGetValue(name, out var answer) ? await answer(received) : StatusCodes.Status200OK;
        return Results.StatusCode(status);
    }
}
