using System.Net;
using System.Net.Sockets;

namespace Orleans.AdClicks.Webhooks;

/// <summary>
/// Which addresses a delivery may connect to: public ones only, so a registered URL cannot make the silos reach
/// their own network (cloud metadata, storage emulators, other services). Checked on the address each connection is
/// made to, after DNS, so a name that resolves to an internal address later is refused too.
/// </summary>
public static class WebhookAddresses
{
    /// <summary>True for an address on the public internet; loopback too when <paramref name="allowLoopback"/>.</summary>
    public static bool MayConnect(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return !(b[0] is 0 or 10 or >= 224
                || b[0] == 100 && b[1] is >= 64 and < 128
                || b[0] == 169 && b[1] == 254
                || b[0] == 172 && b[1] is >= 16 and < 32
                || b[0] == 192 && b[1] == 168
                || b[0] == 192 && b[1] == 0 && b[2] is 0 or 2
                || b[0] == 198 && b[1] is 18 or 19);
        }

        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        return !(address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (v6[0] & 0xFE) == 0xFC);
    }

    /// <summary>Connects to the first address of the host that <see cref="MayConnect"/>; refuses a host that has none.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowLoopback, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = (await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken)).Where(a => MayConnect(a, allowLoopback)).ToArray();
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{endpoint.Host} resolves to no public address: webhooks are not delivered to private, loopback or link-local networks.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
