using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Orleans.AdClicks.Tokens;

/// <summary>
/// The click token: base64url(payload) "." base64url(HMAC-SHA256(key, payload)).
/// Payload v1: version, key id length, key id, impression id, ad id, campaign id,
/// issued-at and expires-at as Unix seconds (big endian).
/// </summary>
public static class ClickTokenCodec
{
    /// <summary>Longer strings are refused before any decoding, so oversized input costs nothing.</summary>
    public const int MaxTokenLength = 200;

    private const byte Version = 1;
    private const int FixedPayloadLength = 1 + 1 + 16 * 3 + 8 * 2;
    private const int MaxPayloadLength = FixedPayloadLength + SigningKey.MaxIdLength;
    private const int SignatureLength = 32;

    /// <summary>Signs <paramref name="token"/> with <paramref name="key"/>.</summary>
    public static string Encode(ClickToken token, SigningKey key)
    {
        if (token.KeyId != key.Id)
        {
            throw new ArgumentException("The token names another key than the one signing it.", nameof(token));
        }

        Span<byte> payload = stackalloc byte[FixedPayloadLength + key.Id.Length];
        payload[0] = Version;
        payload[1] = (byte)key.Id.Length;
        var offset = 2 + Encoding.ASCII.GetBytes(key.Id, payload[2..]);
        token.ImpressionId.TryWriteBytes(payload.Slice(offset, 16));
        token.AdId.TryWriteBytes(payload.Slice(offset + 16, 16));
        token.CampaignId.TryWriteBytes(payload.Slice(offset + 32, 16));
        BinaryPrimitives.WriteInt64BigEndian(payload.Slice(offset + 48, 8), token.IssuedAt.ToUnixTimeSeconds());
        BinaryPrimitives.WriteInt64BigEndian(payload.Slice(offset + 56, 8), token.ExpiresAt.ToUnixTimeSeconds());

        Span<byte> signature = stackalloc byte[SignatureLength];
        HMACSHA256.HashData(key.Secret, payload, signature);
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>
    /// Checks shape and signature, in constant time for the signature. Expiry is the caller's
    /// business: an expired but authentic token is still a real click, recorded as not billable.
    /// </summary>
    public static TokenVerdict TryDecode(ReadOnlySpan<char> text, SigningKeyRing keys, out ClickToken? token)
    {
        token = null;
        if (text.Length is 0 or > MaxTokenLength)
        {
            return TokenVerdict.Malformed;
        }

        var dot = text.IndexOf('.');
        if (dot <= 0 || text[(dot + 1)..].Contains('.'))
        {
            return TokenVerdict.Malformed;
        }

        Span<byte> payload = stackalloc byte[MaxPayloadLength + 3];
        Span<byte> signature = stackalloc byte[SignatureLength + 3];
        if (Base64Url.DecodeFromChars(text[..dot], payload, out var payloadRead, out var payloadLength) != System.Buffers.OperationStatus.Done
            || payloadRead != dot
            || Base64Url.DecodeFromChars(text[(dot + 1)..], signature, out var signatureRead, out var signatureLength) != System.Buffers.OperationStatus.Done
            || signatureRead != text.Length - dot - 1
            || signatureLength != SignatureLength)
        {
            return TokenVerdict.Malformed;
        }

        payload = payload[..payloadLength];
        if (payload.Length < FixedPayloadLength || payload[0] != Version || payload.Length != FixedPayloadLength + payload[1])
        {
            return TokenVerdict.Malformed;
        }

        var key = keys.Find(payload.Slice(2, payload[1]));
        if (key is null)
        {
            return TokenVerdict.Forged;
        }

        Span<byte> expected = stackalloc byte[SignatureLength];
        HMACSHA256.HashData(key.Secret, payload, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, signature[..SignatureLength]))
        {
            return TokenVerdict.Forged;
        }

        var offset = 2 + payload[1];
        token = new ClickToken(
            key.Id,
            new Guid(payload.Slice(offset, 16)),
            new Guid(payload.Slice(offset + 16, 16)),
            new Guid(payload.Slice(offset + 32, 16)),
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload.Slice(offset + 48, 8))),
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload.Slice(offset + 56, 8))));
        return TokenVerdict.Valid;
    }
}
