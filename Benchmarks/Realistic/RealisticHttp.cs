using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Orleans.AdClicks.Benchmarks.Realistic;

/// <summary>The realistic load's HTTP calls besides wrk's: clients, a click, and an analytics total.</summary>
internal static class RealisticHttp
{
    /// <summary>A client that sends <paramref name="apiKey"/> and never follows a beacon's redirect.</summary>
    public static HttpClient Client(string baseAddress, string? apiKey = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 64 };
        var client = new HttpClient(handler) { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>Clicks a token: the beacon accepted it when the answer is 302.</summary>
    public static async Task<HttpStatusCode> ClickAsync(HttpClient client, string token, CancellationToken cancellationToken = default)
    {
        using var response = await client.GetAsync("/c/" + token, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>The clicks in an analytics series' totals, e.g. "/api/analytics/ads/{id}?granularity=minute".</summary>
    public static async Task<long> ClicksAsync(HttpClient client, string path, CancellationToken cancellationToken = default)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return body.RootElement.GetProperty("totals").GetProperty("clicks").GetInt64();
    }

    /// <summary>As <see cref="ClicksAsync"/>, or null when the query failed or timed out (it is polled again).</summary>
    public static async Task<long?> TryClicksAsync(HttpClient client, string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ClicksAsync(client, path, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    public static long UnixMilliseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
