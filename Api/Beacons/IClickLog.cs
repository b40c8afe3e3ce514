using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>Where beacons append accepted clicks and impressions, to be counted by AdGrains.</summary>
public interface IClickLog
{
    /// <summary>
    /// Completes once the event is in the log (durably, where the log is durable); throws
    /// <see cref="ClickLogUnavailableException"/> when the log refused it, and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fired first,
    /// in which case the event may or may not be appended.
    /// </summary>
    Task AppendAsync(AdEvent adEvent, CancellationToken cancellationToken);
}
