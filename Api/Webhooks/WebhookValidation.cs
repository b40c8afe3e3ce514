using System.Net;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Webhooks;

/// <summary>Checks the fields a webhook is registered with.</summary>
public static class WebhookValidation
{
    /// <summary>
    /// An absolute https URL without credentials in it; http only to a loopback host and only when
    /// <paramref name="allowLoopbackHttp"/> (tests, local development).
    /// </summary>
    public static string Url(Validation validation, string field, string? value, bool allowLoopbackHttp)
    {
        var text = validation.Text(field, value, maxLength: 2048);
        if (text.Length == 0)
        {
            return text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            validation.Add(field, $"'{field}' must be an absolute https URL.");
        }
        else if (uri.UserInfo.Length > 0)
        {
            validation.Add(field, $"'{field}' must not carry a user name or password.");
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !(allowLoopbackHttp && IsLoopback(uri)))
        {
            validation.Add(field, allowLoopbackHttp
                ? $"'{field}' must be https; http is accepted only to a loopback host."
                : $"'{field}' must be https.");
        }

        return text;
    }

    /// <summary>One or more known event types, each once, in the order <see cref="WebhookEvents.All"/> lists them.</summary>
    public static IReadOnlyList<string> Events(Validation validation, string field, IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            validation.Add(field, $"'{field}' names at least one of: {string.Join(", ", WebhookEvents.All)}.");
            return [];
        }

        var unknown = values.Where(v => !WebhookEvents.All.Contains(v)).ToList();
        if (unknown.Count > 0)
        {
            validation.Add(field, $"'{field}' has unknown types ({string.Join(", ", unknown)}); known are: {string.Join(", ", WebhookEvents.All)}.");
            return [];
        }

        return [.. WebhookEvents.All.Where(values.Contains)];
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
