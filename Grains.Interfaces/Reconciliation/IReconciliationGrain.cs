namespace Orleans.AdClicks.Reconciliation;

/// <summary>
/// The hourly reconciliation (key 0): a reminder starts a run for each hour that closed more than the
/// allowed lateness ago, and it remembers which hours have reports.
/// </summary>
public interface IReconciliationGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the hourly reminder; every silo calls it at start, which is idempotent.</summary>
    Task EnsureScheduledAsync();

    /// <summary>Starts a run of <paramref name="hour"/> now, or returns the one in progress.</summary>
    Task<ReconciliationReport> RunNowAsync(DateTimeOffset hour);

    /// <summary>The hours in [from, to) that have been reconciled or are being reconciled, in order.</summary>
    [Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<DateTimeOffset>> ListHoursAsync(DateTimeOffset from, DateTimeOffset to);
}
