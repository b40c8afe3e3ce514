using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>Where beacons append accepted clicks and impressions, to be counted by AdGrains.</summary>
public interface IClickLog
{
    /// <summary>Completes once the event is in the log (durably, where the log is durable).</summary>
    Task AppendAsync(AdEvent adEvent);
}
