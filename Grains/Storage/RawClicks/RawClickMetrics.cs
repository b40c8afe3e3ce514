using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// The raw click stores' instruments on the meter "Orleans.AdClicks.RawClicks": how long appends and counts
/// take, per store, and what the embedded store's replay had to skip.
/// </summary>
public sealed class RawClickMetrics
{
    public const string MeterName = "Orleans.AdClicks.RawClicks";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _skippedBytes;

    public RawClickMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram<double>(
            "adclicks.raw_clicks.duration",
            "s",
            "Time an AppendNewAsync or CountAsync call of the raw click store took, by operation and store",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _skipped = meter.CreateCounter<long>("adclicks.raw_clicks.replay.skipped", "{region}", "Unreadable stretches of segment files the embedded store's replay skipped, by reason (corrupt, torn)");
        _skippedBytes = meter.CreateCounter<long>("adclicks.raw_clicks.replay.skipped_bytes", "By", "Bytes of segment files the embedded store's replay skipped, by reason (corrupt, torn)");
    }

    internal void Operation(string operation, string store, TimeSpan elapsed, Exception? failure)
    {
        var tags = new TagList { { "operation", operation }, { "store", store } };
        if (failure is not null)
        {
            tags.Add("error.type", failure.GetType().FullName);
        }

        _duration.Record(elapsed.TotalSeconds, tags);
    }

    internal void Skipped(string reason, long bytes)
    {
        var tag = new KeyValuePair<string, object?>("reason", reason);
        _skipped.Add(1, tag);
        _skippedBytes.Add(bytes, tag);
    }
}
