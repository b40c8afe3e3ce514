using System.Diagnostics.Metrics;

namespace Orleans.AdClicks.Streaming;

/// <summary>The click stream's instruments on the meter "Orleans.AdClicks.Streaming": events refused on the wire, by reason.</summary>
public sealed class ClickStreamMetrics
{
    public const string MeterName = "Orleans.AdClicks.Streaming";

    private readonly Counter<long> _rejected;

    public ClickStreamMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _rejected = meter.CreateCounter<long>(
            "adclicks.streaming.rejected",
            "{event}",
            "Click log events (or whole messages) skipped because they do not decode or cannot be counted, by reason: malformed, unknown_version, missing_field, invalid_field, too_large, key_mismatch, unknown_ad");
    }

    internal void Rejected(string reason, long events = 1) => _rejected.Add(events, new KeyValuePair<string, object?>("reason", reason));
}
