using System.Security.Cryptography;
using System.Text;

namespace Orleans.AdClicks.Webhooks;

/// <summary>How deliveries are signed: HMAC-SHA256, keyed by the webhook's secret (its UTF-8 bytes), over "timestamp.body", in lower-case hex.</summary>
public static class WebhookSignature
{
    public const string EventIdHeader = "X-AdClicks-Event-Id";
    public const string EventTypeHeader = "X-AdClicks-Event";
    public const string TimestampHeader = "X-AdClicks-Timestamp";
    public const string SignatureHeader = "X-AdClicks-Signature";

    /// <summary>A new secret: 32 random bytes in hex, with a prefix that says what it is.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    /// <summary>True when <paramref name="signature"/> is the one <paramref name="secret"/> makes, compared in constant time.</summary>
    public static bool Verify(string secret, string timestamp, string body, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
