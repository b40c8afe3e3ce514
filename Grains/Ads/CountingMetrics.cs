using System.Diagnostics.Metrics;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Ads;

/// <summary>
/// The counting grains' instruments on the meter "Orleans.AdClicks.Counting": events the raw store accepted as new,
/// events it refused as duplicates, reads of the raw store by reason, and how long counts wait for their flush.
/// </summary>
public sealed class CountingMetrics
{
    public const string MeterName = "Orleans.AdClicks.Counting";

    private static readonly KeyValuePair<string, object?> Click = new("kind", "click");
    private static readonly KeyValuePair<string, object?> Impression = new("kind", "impression");

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _recounts;
    private readonly Histogram<double> _flushLag;

    public CountingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("adclicks.counting.events_accepted", "{event}", "Events the raw store accepted as new, by kind");
        _duplicates = meter.CreateCounter<long>("adclicks.counting.duplicates_refused", "{event}", "Events refused as repeats of an accepted (kind, impression id), by kind");
        _recounts = meter.CreateCounter<long>("adclicks.counting.recounts", "{read}", "Reads of the raw store to recount minutes, by reason");
        _flushLag = meter.CreateHistogram<double>("adclicks.counting.flush_lag", "s", "Age of the oldest unwritten minute count when a flush wrote it");
    }

    /// <summary>Why a counting grain read the raw store.</summary>
    public enum RecountReason
    {
        /// <summary>The activation's recount of its recent minutes.</summary>
        Activation,

        /// <summary>A late event for a minute before what the activation knows.</summary>
        Late,

        /// <summary>A minute whose raw write or recount failed.</summary>
        Uncertain,

        /// <summary>Reconciliation asked for the minute's repair.</summary>
        Repair,
    }

    /// <summary>Records a batch: <paramref name="accepted"/> are the events of <paramref name="received"/> the raw store took as new.</summary>
    public void Received(IReadOnlyCollection<AdEvent> received, IReadOnlyCollection<AdEvent> accepted)
    {
        var acceptedClicks = accepted.Count(e => e.Kind == AdEventKind.Click);
        var receivedClicks = received.Count(e => e.Kind == AdEventKind.Click);
        Add(_accepted, acceptedClicks, Click);
        Add(_accepted, accepted.Count - acceptedClicks, Impression);
        Add(_duplicates, receivedClicks - acceptedClicks, Click);
        Add(_duplicates, received.Count - receivedClicks - (accepted.Count - acceptedClicks), Impression);
    }

    public void Recounted(RecountReason reason) =>
        _recounts.Add(1, new KeyValuePair<string, object?>("reason", reason switch
        {
            RecountReason.Activation => "activation",
            RecountReason.Late => "late",
            RecountReason.Uncertain => "uncertain",
            _ => "repair",
        }));

    /// <summary>Records a flush that wrote counts the oldest of which waited <paramref name="lag"/>.</summary>
    public void Flushed(TimeSpan lag) => _flushLag.Record(lag.TotalSeconds);

    private static void Add(Counter<long> counter, int value, KeyValuePair<string, object?> tag)
    {
        if (value > 0)
        {
            counter.Add(value, tag);
        }
    }
}
