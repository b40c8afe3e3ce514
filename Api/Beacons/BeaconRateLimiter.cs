using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Api.Hosting;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>
/// Per-client-address limits on the beacons, on the click path: the generic cell rate algorithm, one
/// <see cref="long"/> per address updated by compare-and-swap, so a beacon takes no lock and allocates
/// nothing once its address is known. Equivalent to a token bucket of <c>BeaconBurst</c> tokens refilled
/// at <c>BeaconPermitsPerSecond</c>.
/// </summary>
public sealed class BeaconRateLimiter : IDisposable
{
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<ulong, Cell> _cells = new();
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _tolerance;
    private readonly ITimer? _sweep;

    public BeaconRateLimiter(IOptions<RateLimitOptions> options, TimeProvider time)
    {
        _time = time;
        Enabled = options.Value.Enabled;
        // In the clock's own units (nanoseconds on Linux): ticks would round a rate above ten million a second to
        // no interval at all, and then callers whose clock reads race each other are refused within their burst.
        _interval = Math.Max(1, time.TimestampFrequency / options.Value.BeaconPermitsPerSecond);
        _tolerance = _interval * (options.Value.BeaconBurst - 1);
        _sweep = Enabled ? time.CreateTimer(_ => Sweep(), null, SweepPeriod, SweepPeriod) : null;
    }

    public bool Enabled { get; }

    /// <summary>Takes one permit for the caller's address; when none is left, says how long until one is.</summary>
    public bool TryAcquire(HttpContext context, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!Enabled)
        {
            return true;
        }

        var cell = _cells.GetOrAdd(RateLimitKey.AddressId(context.Connection.RemoteIpAddress), static _ => new Cell());
        var now = _time.GetTimestamp();
        while (true)
        {
            // The theoretical arrival time: when this address would have used up its permits at the steady rate.
            var arrival = Volatile.Read(ref cell.TheoreticalArrival);
            var start = Math.Max(arrival, now);
            if (start - now > _tolerance)
            {
                retryAfter = _time.GetElapsedTime(now, start - _tolerance);
                return false;
            }

            if (Interlocked.CompareExchange(ref cell.TheoreticalArrival, start + _interval, arrival) == arrival)
            {
                return true;
            }
        }
    }

    public void Dispose() => _sweep?.Dispose();

    /// <summary>Forgets addresses whose permits are all back: they behave as if never seen.</summary>
    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (address, cell) in _cells)
        {
            if (Volatile.Read(ref cell.TheoreticalArrival) <= now)
            {
                _cells.TryRemove(address, out _);
            }
        }
    }

    private sealed class Cell
    {
        public long TheoreticalArrival;
    }
}
