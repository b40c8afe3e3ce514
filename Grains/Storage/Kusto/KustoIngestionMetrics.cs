using System.Diagnostics.Metrics;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// The ADX row writers' instruments on the meter "Orleans.AdClicks.Kusto", each tagged with the table written
/// (AdMinuteAggregates, AdHourBreakdowns): rows ingested, streaming requests by outcome, failed commits by kind, and
/// what waits (rows, and the age of the oldest), so an alert can fire while the rows are still only in the silo's memory.
/// </summary>
public sealed class KustoIngestionMetrics
{
    public const string MeterName = "Orleans.AdClicks.Kusto";

    private readonly Lock _lock = new();
    private readonly Meter _meter;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _refused;
    private PendingSource[] _pending = [];

    public KustoIngestionMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _rows = _meter.CreateCounter<long>("adclicks.kusto.ingested_rows", "{row}", "Rows ADX accepted by streaming ingestion");
        _requests = _meter.CreateCounter<long>("adclicks.kusto.requests", "{request}", "Streaming ingestion requests, by outcome (ok, transient, permanent)");
        _failures = _meter.CreateCounter<long>("adclicks.kusto.failures", "{commit}", "Commits with a failed request, by kind (transient, permanent); their rows stay pending");
        _refused = _meter.CreateCounter<long>("adclicks.kusto.refused_rows", "{row}", "Rows a write offered while the pending set was full; the AdGrain keeps them dirty");
        _meter.CreateObservableGauge("adclicks.kusto.pending_rows", () => Observe(s => s.Rows()), "{row}", "Rows waiting to be ingested into ADX");
        _meter.CreateObservableGauge(
            "adclicks.kusto.oldest_pending_age", () => Observe(s => s.OldestAgeSeconds()), "s", "How long the oldest waiting change has waited (0 when none waits)");
    }

    internal void Request(string table, string outcome, int rows)
    {
        _requests.Add(1, new KeyValuePair<string, object?>("outcome", outcome), Table(table));
        if (outcome == "ok")
        {
            _rows.Add(rows, Table(table));
        }
    }

    internal void Failure(string table, string kind) => _failures.Add(1, new KeyValuePair<string, object?>("kind", kind), Table(table));

    internal void Refused(string table, int rows) => _refused.Add(rows, Table(table));

    /// <summary>Adds a writer's pending set to the gauges, one measurement per table.</summary>
    internal void ObservePending(string table, Func<long> rows, Func<double> oldestAgeSeconds)
    {
        lock (_lock)
        {
            _pending = [.. _pending, new PendingSource(table, rows, oldestAgeSeconds)];
        }
    }

    private static KeyValuePair<string, object?> Table(string table) => new("table", table);

    private IEnumerable<Measurement<T>> Observe<T>(Func<PendingSource, T> value)
        where T : struct => Volatile.Read(ref _pending).Select(s => new Measurement<T>(value(s), Table(s.Table)));

    private sealed record PendingSource(string Table, Func<long> Rows, Func<double> OldestAgeSeconds);
}
