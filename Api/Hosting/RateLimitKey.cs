using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;
using Orleans.AdClicks.Api.Auth;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// A rate-limit partition: the scope plus 128 bits naming the caller, either the first half of the
/// SHA-256 of its API key (the key itself is never kept) or its client address. A value type
/// computed without heap allocations, since every beacon computes one.
/// </summary>
public readonly record struct RateLimitKey(RateLimitScope Scope, UInt128 Id)
{
    private const int StackHashLimit = 256;

    /// <summary>The partition of a request, chosen by its path.</summary>
    public static RateLimitKey For(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/c") || path.StartsWithSegments("/v"))
        {
            return new RateLimitKey(RateLimitScope.Beacon, AddressId(context.Connection.RemoteIpAddress));
        }

        if (!path.StartsWithSegments("/api"))
        {
            return default;
        }

        var key = context.Request.Headers[ApiKeyAuthenticationHandler.HeaderName];
        return StringValues.IsNullOrEmpty(key)
            ? new RateLimitKey(RateLimitScope.ApiAddress, AddressId(context.Connection.RemoteIpAddress))
            : new RateLimitKey(RateLimitScope.ApiKey, KeyId(key.ToString()));
    }

    /// <summary>The first 128 bits of the key's SHA-256.</summary>
    public static UInt128 KeyId(string apiKey)
    {
        var length = Encoding.UTF8.GetMaxByteCount(apiKey.Length);
        byte[]? rented = null;
        var utf8 = length <= StackHashLimit ? stackalloc byte[StackHashLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(apiKey, utf8)], hash);
            return BinaryPrimitives.ReadUInt128BigEndian(hash);
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
    /// could otherwise pick a fresh address per request.
    /// </summary>
    public static UInt128 AddressId(IPAddress? address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address is null || !address.TryWriteBytes(bytes, out var length))
        {
            return UInt128.Zero;
        }

        if (length == 4)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]);
        }

        return new UInt128(BinaryPrimitives.ReadUInt64BigEndian(bytes), 0);
    }
}
