namespace Orleans.AdClicks.Reconciliation;

/// <summary>
/// Reconciles the ads of one slice in one hour (key <see cref="ReconciliationHour.SliceKey"/>): recounts each
/// ad shard the raw store's hour index names or the aggregate store has rows for, compares per minute and
/// kind, and has the ad's grain rewrite every minute that differs.
/// </summary>
public interface IReconciliationSliceGrain : IGrainWithStringKey
{
    // A slice of a busy hour holds thousands of ads; the default 30 s would cut it short.
    /// <summary>
    /// Reconciles the slice for run <paramref name="runId"/>. When some ads fail it throws, and a retry of the
    /// same run still reports what the failed attempts found and repaired (while this activation lives).
    /// </summary>
    [ResponseTimeout("00:30:00")]
    Task<SliceReconciliation> ReconcileAsync(Guid runId);
}
