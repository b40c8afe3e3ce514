namespace Orleans.AdClicks.Reconciliation;

/// <summary>What reconciling the ads of one slice in one hour found and repaired.</summary>
/// <param name="AdsChecked">Ad shards recounted: those the raw store's hour index names and those with aggregate rows.</param>
/// <param name="EventsRecounted">Billable clicks and impressions the raw store holds for them in the hour.</param>
/// <param name="RowsRepaired">Minute rows rewritten to their recount.</param>
[GenerateSerializer, Immutable, Alias("adclicks.slice-reconciliation")]
public sealed record SliceReconciliation(
    [property: Id(0)] int Slice,
    [property: Id(1)] long AdsChecked,
    [property: Id(2)] long EventsRecounted,
    [property: Id(3)] IReadOnlyList<ReconciliationMismatch> Mismatches,
    [property: Id(4)] long RowsRepaired);
