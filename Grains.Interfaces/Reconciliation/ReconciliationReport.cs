namespace Orleans.AdClicks.Reconciliation;

/// <summary>
/// One reconciliation run of one hour. While <see cref="CompletedAt"/> is null the run is in progress and
/// the totals cover the slices done so far.
/// </summary>
/// <param name="Mismatches">The first <see cref="MaxMismatchLines"/> lines; <see cref="MismatchCount"/> counts them all.</param>
/// <param name="RowsRepaired">Minute rows rewritten to their recount.</param>
/// <param name="LastError">Why the last attempt left slices undone; they are retried.</param>
[GenerateSerializer, Immutable, Alias("adclicks.reconciliation-report")]
public sealed record ReconciliationReport(
    [property: Id(0)] Guid RunId,
    [property: Id(1)] DateTimeOffset Hour,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset? CompletedAt,
    [property: Id(4)] int SlicesDone,
    [property: Id(5)] long AdsChecked,
    [property: Id(6)] long EventsRecounted,
    [property: Id(7)] long MismatchCount,
    [property: Id(8)] long RowsRepaired,
    [property: Id(9)] IReadOnlyList<ReconciliationMismatch> Mismatches,
    [property: Id(10)] string? LastError = null)
{
    /// <summary>Mismatch lines kept per report, so a report of a badly broken hour stays readable and storable.</summary>
    public const int MaxMismatchLines = 1000;

    /// <summary>A run of <paramref name="hour"/> that has just started.</summary>
    public static ReconciliationReport Start(DateTimeOffset hour, DateTimeOffset now) =>
        new(Guid.NewGuid(), hour, now, null, 0, 0, 0, 0, 0, []);

    /// <summary>This report with one more slice done.</summary>
    public ReconciliationReport Add(SliceReconciliation slice) => this with
    {
        SlicesDone = SlicesDone + 1,
        AdsChecked = AdsChecked + slice.AdsChecked,
        EventsRecounted = EventsRecounted + slice.EventsRecounted,
        MismatchCount = MismatchCount + slice.Mismatches.Count,
        RowsRepaired = RowsRepaired + slice.RowsRepaired,
        Mismatches = [.. Mismatches, .. slice.Mismatches.Take(MaxMismatchLines - Mismatches.Count)],
    };
}
