using Microsoft.Extensions.Options;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>
/// The beacons' deadline as a token shared by every beacon that starts in the same tick: it is cancelled between
/// <see cref="BeaconOptions.Deadline"/> and one tick after a beacon started. One timer per tick instead of a linked
/// source and a timer per request, which the click path paid at tens of thousands of requests a second.
/// </summary>
/// <remarks>
/// A client that leaves does not cancel its beacon: the event it sent is appended all the same (the click happened;
/// a retry of it is refused as a duplicate), and its answer goes nowhere.
/// </remarks>
public sealed class BeaconDeadlines : IDisposable
{
    /// <summary>How much later than the deadline a beacon may be given up.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    private readonly TimeSpan _deadline;
    private readonly TimeProvider _time;
    private readonly long _tickTimestamps;
    private readonly Lock _lock = new();
    private volatile Slot _current;

    public BeaconDeadlines(IOptions<BeaconOptions> options, TimeProvider time)
    {
        _deadline = options.Value.Deadline;
        _time = time;
        _tickTimestamps = (long)(Tick.TotalSeconds * time.TimestampFrequency);
        _current = new Slot(long.MinValue, new CancellationTokenSource());
    }

    /// <summary>A token cancelled when a beacon starting now is past its deadline.</summary>
    public CancellationToken Next()
    {
        var tick = _time.GetTimestamp() / _tickTimestamps;
        var slot = _current;
        if (slot.Tick == tick)
        {
            return slot.Deadline.Token;
        }

        lock (_lock)
        {
            if (_current.Tick != tick)
            {
                // The old source is left to its timer: beacons of its tick still hold its token.
                _current = new Slot(tick, new CancellationTokenSource(_deadline + Tick, _time));
            }

            return _current.Deadline.Token;
        }
    }

    public void Dispose() => _current.Deadline.Dispose();

    private sealed record Slot(long Tick, CancellationTokenSource Deadline);
}
