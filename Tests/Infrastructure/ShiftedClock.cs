namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>
/// A silo's wall clock, off the real one by <see cref="Offset"/>, which a test moves forward (Orleans' activation
/// collector refuses a clock that goes back). Timers and timestamps stay those of the system, so the silo keeps
/// running, where one whose timers wait on a FakeTimeProvider stops.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
