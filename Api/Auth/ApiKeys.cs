using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Orleans.AdClicks.Api.Auth;

/// <summary>
/// Advertiser API keys: "ak_{advertiserId:N}_{secret}". The advertiser id in the key finds the
/// grain holding the hash, so no key index is needed; only the SHA-256 hash of the key is stored.
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "ak_";

    /// <summary>A new random key for <paramref name="advertiserId"/>.</summary>
    public static string Create(Guid advertiserId) =>
        $"{Prefix}{advertiserId:N}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";

    /// <summary>The advertiser a key claims to belong to; false when it is not of the key's shape.</summary>
    public static bool TryParseAdvertiser(string key, out Guid advertiserId)
    {
        advertiserId = default;
        return key.Length is > 40 and < 128
            && key.StartsWith(Prefix, StringComparison.Ordinal)
            && key[Prefix.Length + 32] == '_'
            && Guid.TryParseExact(key.AsSpan(Prefix.Length, 32), "N", out advertiserId);
    }

    /// <summary>What is stored instead of the key.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
