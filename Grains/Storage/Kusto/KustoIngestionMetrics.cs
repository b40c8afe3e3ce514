using System.Diagnostics.Metrics;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// The ADX minute-row writer's instruments on the meter "Orleans.AdClicks.Kusto": rows ingested, streaming requests
/// by outcome, failed commits by kind, and what waits (rows, and the age of the oldest), so an alert can fire
/// while the rows are still only in the silo's memory.
/// </summary>
public sealed class KustoIngestionMetrics
{
    public const string MeterName = "Orleans.AdClicks.Kusto";

    private readonly Meter _meter;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _refused;

    public KustoIngestionMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _rows = _meter.CreateCounter<long>("adclicks.kusto.ingested_rows", "{row}", "Minute rows ADX accepted by streaming ingestion");
        _requests = _meter.CreateCounter<long>("adclicks.kusto.requests", "{request}", "Streaming ingestion requests, by outcome (ok, transient, permanent)");
        _failures = _meter.CreateCounter<long>("adclicks.kusto.failures", "{commit}", "Commits with a failed request, by kind (transient, permanent); their rows stay pending");
        _refused = _meter.CreateCounter<long>("adclicks.kusto.refused_rows", "{row}", "Rows a write offered while the pending set was full; the AdGrain keeps them dirty");
    }

    internal void Request(string outcome, int rows)
    {
        _requests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == "ok")
        {
            _rows.Add(rows);
        }
    }

    internal void Failure(string kind) => _failures.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void Refused(int rows) => _refused.Add(rows);

    internal void ObservePending(Func<long> rows, Func<double> oldestAgeSeconds)
    {
        _meter.CreateObservableGauge("adclicks.kusto.pending_rows", rows, "{row}", "Minute rows waiting to be ingested into ADX");
        _meter.CreateObservableGauge("adclicks.kusto.oldest_pending_age", oldestAgeSeconds, "s", "How long the oldest waiting change has waited (0 when none waits)");
    }
}
