using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>
/// Forwards a local port to another; <see cref="Cut"/> drops every connection and refuses new ones
/// until <see cref="Restore"/>: a network outage without stopping (and losing state in) the server.
/// <see cref="Stall"/> is the other kind of outage: connections are accepted and never answered.
/// </summary>
public sealed class TcpProxy : IDisposable
{
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private TcpListener? _listener;
    private volatile bool _stalled;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        Port = FreePort.Next();
        Restore();
    }

    public int Port { get; }

    public void Restore()
    {
        _stalled = false;
        DropConnections();
        if (_listener is null)
        {
            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            _ = AcceptAsync(_listener);
        }
    }

    public void Cut()
    {
        _listener?.Stop();
        _listener = null;
        DropConnections();
    }

    /// <summary>Drops every connection; new ones are accepted and then hear nothing until <see cref="Restore"/>.</summary>
    public void Stall()
    {
        _stalled = true;
        DropConnections();
    }

    public void Dispose() => Cut();

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(inbound);
        }
    }

    private void DropConnections()
    {
        foreach (var connection in _connections.Keys)
        {
            connection.Dispose();
        }

        _connections.Clear();
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        if (_stalled)
        {
            // Kept open and silent; dropped by the next Restore, Cut or Dispose.
            _connections[inbound] = 0;
            return;
        }

        using var outbound = new TcpClient();
        _connections[inbound] = 0;
        _connections[outbound] = 0;
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _targetPort);
            var down = inbound.GetStream().CopyToAsync(outbound.GetStream());
            var up = outbound.GetStream().CopyToAsync(inbound.GetStream());
            await Task.WhenAny(down, up);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The peer or a cut closed the connection.
        }
        finally
        {
            _connections.TryRemove(inbound, out _);
            _connections.TryRemove(outbound, out _);
            inbound.Dispose();
        }
    }
}
