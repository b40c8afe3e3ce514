namespace Orleans.AdClicks.Reconciliation;

[GenerateSerializer, Alias("adclicks.reconciliation-state")]
public sealed class ReconciliationGrainState
{
    /// <summary>The latest hour the reminder has started a run for.</summary>
    [Id(0)] public DateTimeOffset? LastScheduledHour { get; set; }

    /// <summary>Every hour with a run, scheduled or asked for; older than the raw store keeps are dropped.</summary>
    [Id(1)] public SortedSet<DateTimeOffset> Hours { get; set; } = [];
}
