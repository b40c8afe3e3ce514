namespace Orleans.AdClicks.Reconciliation;

/// <summary>The embedded store's mismatch log: the run's report in grain state is all there is.</summary>
internal sealed class NoReconciliationMismatchLog : IReconciliationMismatchLog
{
    public Task ExportAsync(ReconciliationReport report, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
