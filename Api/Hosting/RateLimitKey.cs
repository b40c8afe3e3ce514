using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;
using Orleans.AdClicks.Api.Auth;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// A rate-limit partition: the scope in the top 2 bits, and 62 bits naming the caller, either the
/// start of the SHA-256 of its API key (the key itself is never kept) or its client address.
/// One <see cref="ulong"/>, computed without heap allocations, since every beacon computes one:
/// the partitioned limiter costs more per request with a wider key.
/// </summary>
public readonly record struct RateLimitKey(ulong Value)
{
    private const int ScopeShift = 62;
    private const ulong IdMask = (1UL << ScopeShift) - 1;
    private const int StackHashLimit = 256;

    public RateLimitScope Scope => (RateLimitScope)(Value >> ScopeShift);

    public ulong Id => Value & IdMask;

    public static RateLimitKey Create(RateLimitScope scope, ulong id) => new(((ulong)scope << ScopeShift) | (id & IdMask));

    /// <summary>The partition of a request, chosen by its path.</summary>
    public static RateLimitKey For(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            return default;
        }

        var key = context.Request.Headers[ApiKeyAuthenticationHandler.HeaderName];
        return StringValues.IsNullOrEmpty(key)
            ? Create(RateLimitScope.ApiAddress, AddressId(context.Connection.RemoteIpAddress))
            : Create(RateLimitScope.ApiKey, KeyId(key.ToString()));
    }

    /// <summary>The first 64 bits of the key's SHA-256 (62 of them are kept).</summary>
    public static ulong KeyId(string apiKey)
    {
        var length = Encoding.UTF8.GetMaxByteCount(apiKey.Length);
        byte[]? rented = null;
        var utf8 = length <= StackHashLimit ? stackalloc byte[StackHashLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(apiKey, utf8)], hash);
            return BinaryPrimitives.ReadUInt64BigEndian(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    /// <summary>
    /// IPv4 addresses as they are; IPv6 by their /64, since one host usually holds a whole /64 and
    /// could otherwise pick a fresh address per request. Global unicast IPv6 (2000::/3) starts with
    /// two zero bits, so keeping 62 bits of the /64 loses nothing there.
    /// </summary>
    public static ulong AddressId(IPAddress? address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address is null || !address.TryWriteBytes(bytes, out var length))
        {
            return 0;
        }

        if (length == 4)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]);
        }

        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }
}
