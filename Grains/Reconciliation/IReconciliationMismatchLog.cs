namespace Orleans.AdClicks.Reconciliation;

/// <summary>
/// Where a finished reconciliation run leaves its mismatches for analysts: the ADX table ReconciliationMismatches
/// when the aggregates are in ADX, nowhere on the embedded store (the reports in grain state are the record there).
/// </summary>
public interface IReconciliationMismatchLog
{
    /// <summary>
    /// Records the mismatches of <paramref name="report"/>, a completed run. May be called again for the same run
    /// after a failure, so a reader must tolerate the same lines twice.
    /// </summary>
    Task ExportAsync(ReconciliationReport report, CancellationToken cancellationToken = default);
}
