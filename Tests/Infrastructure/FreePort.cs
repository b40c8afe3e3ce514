using System.Net;
using System.Net.Sockets;

namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>A TCP port nothing listens on right now, so parallel tests do not collide.</summary>
public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999): a port there can be handed, between this check and the
    // server's own bind, to an outgoing connection or to anything that binds port 0 (librdkafka's mock brokers,
    // Kestrel), and the server then exits with the address in use. Ports here are only ever given out by this class.
    private const int First = 20_000;
    private const int Count = 12_000;

    private static int _next = Random.Shared.Next(Count);

    public static int Next()
    {
        for (var tried = 0; tried < Count; tried++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free TCP port from {First} to {First + Count - 1}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
