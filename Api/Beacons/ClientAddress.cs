using System.Net;
using System.Net.Sockets;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>Truncates client addresses before they are stored: /24 for IPv4, /48 for IPv6.</summary>
public static class ClientAddress
{
    public static string? Truncate(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        var keep = address.AddressFamily == AddressFamily.InterNetwork ? 3 : 6;
        bytes[keep..length].Clear();
        return new IPAddress(bytes[..length]).ToString();
    }
}
