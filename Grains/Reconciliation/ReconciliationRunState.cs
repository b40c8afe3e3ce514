namespace Orleans.AdClicks.Reconciliation;

[GenerateSerializer, Alias("adclicks.reconciliation-run-state")]
public sealed class ReconciliationRunState
{
    /// <summary>Finished runs, oldest first.</summary>
    [Id(0)] public List<ReconciliationReport> Completed { get; set; } = [];

    /// <summary>The run in progress, if any.</summary>
    [Id(1)] public ReconciliationReport? Current { get; set; }

    /// <summary>The slices of <see cref="Current"/> whose results are in it.</summary>
    [Id(2)] public HashSet<int> DoneSlices { get; set; } = [];
}
