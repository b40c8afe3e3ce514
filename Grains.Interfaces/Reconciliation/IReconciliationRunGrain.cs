namespace Orleans.AdClicks.Reconciliation;

/// <summary>
/// The reconciliation runs of one UTC hour (key <see cref="ReconciliationHour.Key"/>). A run fans out to one
/// <see cref="IReconciliationSliceGrain"/> per ad slice and persists each slice's result as it lands, so a
/// run interrupted by a failure or a silo going down resumes with the slices it has not done.
/// </summary>
public interface IReconciliationRunGrain : IGrainWithStringKey
{
    /// <summary>Starts a new run, or resumes the unfinished one; returns its report so far.</summary>
    Task<ReconciliationReport> RunAsync();

    /// <summary>Every run of this hour, oldest first; the unfinished one last.</summary>
    [Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<ReconciliationReport>> GetReportsAsync();
}
