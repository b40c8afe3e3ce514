namespace Orleans.AdClicks.Api.Reconciliation;

/// <summary>One minute count that differed from its recount from the raw events, and was rewritten to it.</summary>
public sealed record MismatchDto(Guid AdId, int Shard, Guid CampaignId, DateTimeOffset Minute, string Kind, long Expected, long Found);

/// <summary>
/// One reconciliation run of one hour. An advertiser sees only its own ads' lines, and the run-wide
/// figures (ads checked, events recounted, errors) are left out for it.
/// </summary>
public sealed record ReconciliationReportDto(
    Guid RunId,
    DateTimeOffset Hour,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    double? DurationSeconds,
    int SlicesDone,
    int SlicesTotal,
    long? AdsChecked,
    long? EventsRecounted,
    long MismatchCount,
    long RowsRepaired,
    IReadOnlyList<MismatchDto> Mismatches,
    bool MismatchesTruncated,
    string? LastError);

public sealed record ReconciliationReportsDto(IReadOnlyList<ReconciliationReportDto> Items);
