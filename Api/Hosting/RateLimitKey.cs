using System.Buffers.Binary;
using System.Net;
using Orleans.AdClicks.Api.Auth;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// A rate-limit partition: the scope in the top 2 bits, and 62 bits naming the caller, either its client
/// address or its advertiser id. A key is never a partition of its own: keys are told apart only after
/// they verified, by whom they belong to, so made-up keys cannot each get a fresh bucket. One
/// <see cref="ulong"/>, computed without heap allocations: the partitioned limiter costs more per
/// request with a wider key.
/// </summary>
public readonly record struct RateLimitKey(ulong Value)
{
    private const int ScopeShift = 62;
    private const ulong IdMask = (1UL << ScopeShift) - 1;

    public RateLimitScope Scope => (RateLimitScope)(Value >> ScopeShift);

    public ulong Id => Value & IdMask;

    public static RateLimitKey Create(RateLimitScope scope, ulong id) => new(((ulong)scope << ScopeShift) | (id & IdMask));

    /// <summary>The address partition of a request, before its key is checked: every /api request has one.</summary>
    public static RateLimitKey ForAddress(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") ? Create(RateLimitScope.ApiAddress, AddressId(context.Connection.RemoteIpAddress)) : default;

    /// <summary>The caller partition of a request once authenticated: none when its key did not verify (the address limit still applies).</summary>
    public static RateLimitKey ForCaller(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            return default;
        }

        return CurrentAdvertiser.From(context.User) switch
        {
            { IsAdmin: true } => Create(RateLimitScope.ApiAdmin, 0),
            { AdvertiserId: { } id } => Create(RateLimitScope.ApiAdvertiser, AdvertiserId(id)),
            _ => default,
        };
    }

    /// <summary>62 of an advertiser id's random bits.</summary>
    public static ulong AdvertiserId(Guid advertiserId)
    {
        Span<byte> bytes = stackalloc byte[16];
        advertiserId.TryWriteBytes(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
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
