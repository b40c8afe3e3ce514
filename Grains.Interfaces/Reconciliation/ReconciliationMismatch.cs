using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Reconciliation;

/// <summary>One minute count of one ad shard that differed from its recount from the raw store.</summary>
/// <param name="Expected">The recount: distinct billable events of this kind in the raw store, or invalid clicks of <paramref name="Invalid"/>.</param>
/// <param name="Found">What the aggregate store held (0 when it had no row).</param>
/// <param name="Invalid">None for billable clicks and impressions; for a count of invalid clicks (Kind Click), their reason.</param>
[GenerateSerializer, Immutable, Alias("adclicks.reconciliation-mismatch")]
public sealed record ReconciliationMismatch(
    [property: Id(0)] Guid AdId,
    [property: Id(1)] int Shard,
    [property: Id(2)] Guid CampaignId,
    [property: Id(3)] Guid AdvertiserId,
    [property: Id(4)] DateTimeOffset Minute,
    [property: Id(5)] AdEventKind Kind,
    [property: Id(6)] long Expected,
    [property: Id(7)] long Found,
    [property: Id(8)] InvalidTrafficReason Invalid = InvalidTrafficReason.None)
{
    /// <summary>
    /// What the line counts, as the API and webhooks spell it: "click" and "impression" (billable), or
    /// "invalidClick." and the reason (e.g. "invalidClick.knownCrawler").
    /// </summary>
    public string KindName => Invalid == InvalidTrafficReason.None ? Kind.ApiName() : "invalidClick." + InvalidTraffic.ApiName(Invalid);
}
