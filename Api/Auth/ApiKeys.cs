using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Orleans.AdClicks.Api.Auth;

/// <summary>
/// Advertiser API keys: "ak2_{advertiserId:N}_{base64url(random ‖ mac)}", where mac is HMAC-SHA256 over
/// the advertiser id and the 32 random bytes, keyed by <see cref="AuthOptions.ApiKeyMacKey"/> and cut to
/// 128 bits. The MAC tells a key this service issued from any other without I/O, so a guessed or forged
/// key never reaches a grain or storage; the advertiser id then finds the grain that holds the SHA-256 of
/// the advertiser's current key (rotation and revocation), so no key index is needed.
/// </summary>
public sealed class ApiKeys
{
    public const int MinMacKeyBytes = 32;
    private const string Prefix = "ak2_";
    private const string OldPrefix = "ak_";
    private const int IdChars = 32;
    private const int RandomBytes = 32;
    private const int MacBytes = 16;
    private const int SecretChars = (RandomBytes + MacBytes) / 3 * 4;

    /// <summary>The length of every key: the prefix, the id, '_' and the unpadded secret.</summary>
    public const int Length = 4 + IdChars + 1 + SecretChars;

    private readonly byte[] _macKey;

    public ApiKeys(byte[] macKey)
    {
        if (macKey.Length < MinMacKeyBytes)
        {
            throw new ArgumentException($"The API key MAC key must be at least {MinMacKeyBytes} bytes.", nameof(macKey));
        }

        _macKey = macKey;
    }

    /// <summary>The MAC key from its configured form, base64 of at least 32 bytes; the message names <paramref name="source"/>.</summary>
    public static ApiKeys Parse(string base64, string source)
    {
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), bytes, out var length) || length < MinMacKeyBytes)
        {
            throw new FormatException($"{source} must be base64 of at least {MinMacKeyBytes} random bytes.");
        }

        return new ApiKeys(bytes[..length]);
    }

    /// <summary>A new random key for <paramref name="advertiserId"/>.</summary>
    public string Create(Guid advertiserId)
    {
        Span<byte> secret = stackalloc byte[RandomBytes + MacBytes];
        RandomNumberGenerator.Fill(secret[..RandomBytes]);
        Mac(advertiserId, secret[..RandomBytes], secret[RandomBytes..]);
        return $"{Prefix}{advertiserId:N}_{Base64Url.EncodeToString(secret)}";
    }

    /// <summary>Checks <paramref name="key"/> with no I/O; <paramref name="advertiserId"/> is set when it is authentic.</summary>
    public ApiKeyCheck Check(string key, out Guid advertiserId)
    {
        advertiserId = default;
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return key.StartsWith(OldPrefix, StringComparison.Ordinal) ? ApiKeyCheck.OldFormat : ApiKeyCheck.Forged;
        }

        if (key.Length != Length || key[Prefix.Length + IdChars] != '_')
        {
            return ApiKeyCheck.Forged;
        }

        var id = key.AsSpan(Prefix.Length, IdChars);
        Span<char> canonicalId = stackalloc char[IdChars];
        Span<byte> secret = stackalloc byte[RandomBytes + MacBytes];
        Span<byte> expected = stackalloc byte[MacBytes];
        // Only the spelling issued counts (lowercase hex): another spelling of the same id would verify too
        // but hash differently, so each spelling could cost a grain call.
        if (!Guid.TryParseExact(id, "N", out var parsed)
            || !parsed.TryFormat(canonicalId, out _, "N")
            || !id.SequenceEqual(canonicalId)
            || !Base64Url.TryDecodeFromChars(key.AsSpan(Prefix.Length + IdChars + 1), secret, out var written)
            || written != secret.Length)
        {
            return ApiKeyCheck.Forged;
        }

        Mac(parsed, secret[..RandomBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, secret[RandomBytes..]))
        {
            return ApiKeyCheck.Forged;
        }

        advertiserId = parsed;
        return ApiKeyCheck.Authentic;
    }

    /// <summary>What is stored instead of the key.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private void Mac(Guid advertiserId, ReadOnlySpan<byte> random, Span<byte> mac)
    {
        Span<byte> message = stackalloc byte[16 + RandomBytes];
        advertiserId.TryWriteBytes(message, bigEndian: true, out _);
        random.CopyTo(message[16..]);
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_macKey, message, full);
        full[..MacBytes].CopyTo(mac);
    }
}
