using System.Globalization;
using System.Text;

namespace Orleans.AdClicks.Webhooks;

/// <summary>Makes one delivery attempt: POSTs the body, signed, and says what came back. Never throws for the receiver's faults.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time)
{
    /// <summary>The named client: its timeout is <see cref="WebhookOptions.Timeout"/> and it follows no redirects.</summary>
    public const string ClientName = "AdClicks.Webhooks";

    public async Task<WebhookAttempt> SendAsync(string url, string secret, Guid eventId, string eventType, string body)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.EventIdHeader, eventId.ToString());
        request.Headers.Add(WebhookSignature.EventTypeHeader, eventType);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var code = (int)response.StatusCode;
            return new WebhookAttempt(response.IsSuccessStatusCode, code, response.IsSuccessStatusCode ? null : $"The receiver answered {code}.");
        }
        catch (TaskCanceledException)
        {
            return new WebhookAttempt(false, null, "The receiver did not answer in time.");
        }
        catch (HttpRequestException e)
        {
            return new WebhookAttempt(false, null, e.Message);
        }
    }
}
