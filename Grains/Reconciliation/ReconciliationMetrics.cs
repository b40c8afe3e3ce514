using System.Diagnostics.Metrics;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Reconciliation;

/// <summary>
/// The reconciliation's instruments on the meter "Orleans.AdClicks.Reconciliation": what was recounted, what
/// differed and what was repaired, so an alert can fire on mismatches without reading reports.
/// </summary>
public sealed class ReconciliationMetrics
{
    public const string MeterName = "Orleans.AdClicks.Reconciliation";

    private readonly Counter<long> _mismatches;
    private readonly Counter<long> _repairs;
    private readonly Counter<long> _events;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _duration;

    public ReconciliationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _mismatches = meter.CreateCounter<long>("adclicks.reconciliation.mismatches", "{count}", "Minute counts that differed from their recount, by kind");
        _repairs = meter.CreateCounter<long>("adclicks.reconciliation.repairs", "{row}", "Minute rows rewritten to their recount");
        _events = meter.CreateCounter<long>("adclicks.reconciliation.events_recounted", "{event}", "Billable events recounted from the raw store");
        _runs = meter.CreateCounter<long>("adclicks.reconciliation.runs", "{run}", "Reconciliation runs completed");
        _duration = meter.CreateHistogram<double>("adclicks.reconciliation.duration", "s", "Time from a run's start to its completion");
    }

    public void SliceDone(SliceReconciliation slice)
    {
        foreach (var kind in slice.Mismatches.GroupBy(m => m.Invalid != InvalidTrafficReason.None ? "invalid_click" : m.Kind == AdEventKind.Click ? "click" : "impression"))
        {
            _mismatches.Add(kind.Count(), new KeyValuePair<string, object?>("kind", kind.Key));
        }

        _repairs.Add(slice.RowsRepaired);
        _events.Add(slice.EventsRecounted);
    }

    public void RunCompleted(TimeSpan duration)
    {
        _runs.Add(1);
        _duration.Record(duration.TotalSeconds);
    }
}
