using System.Diagnostics;

namespace Orleans.AdClicks.Hosting;

/// <summary>
/// Real time for Orleans' membership and watchdog, with timestamps counted from this clock's creation
/// (the silo's start) instead of the machine's boot. Orleans' watchdog starts its platform thread
/// before it stamps the participant check's start, so that thread's first look measures from
/// timestamp 0: with the system clock, the machine's uptime, logged as a stalled check ("Participant
/// check thread has not completed for 00:28:29") at every start. From 0 here it is a few milliseconds.
/// Only differences of timestamps mean anything, so nothing else changes.
/// </summary>
internal sealed class MembershipClock : TimeProvider
{
    private readonly long _origin = Stopwatch.GetTimestamp();

    public override long GetTimestamp() => Stopwatch.GetTimestamp() - _origin;
}
