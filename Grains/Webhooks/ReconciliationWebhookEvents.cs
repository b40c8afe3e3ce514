using System.Security.Cryptography;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Reconciliation;

namespace Orleans.AdClicks.Webhooks;

/// <summary>The <see cref="WebhookEvents.ReconciliationMismatches"/> events of a finished run: one per advertiser with mismatches on its ads.</summary>
public static class ReconciliationWebhookEvents
{
    /// <summary>Lines one event carries, so a queued event stays small in grain state; the rest are in the run's report.</summary>
    public const int MaxLines = 100;

    /// <summary>
    /// The events, each with only its advertiser's lines (the first <see cref="MaxLines"/> of those the report keeps). Their ids derive from the run and the
    /// advertiser, so a run completed again after a failure raises the same events, which the webhooks queue once.
    /// </summary>
    public static IEnumerable<WebhookEvent> For(ReconciliationReport report, DateTimeOffset now) =>
        report.Mismatches.GroupBy(m => m.AdvertiserId).Select(lines => new WebhookEvent(
            EventId(report.RunId, lines.Key),
            WebhookEvents.ReconciliationMismatches,
            now,
            lines.Key,
            CampaignId: null,
            WebhookPayload.Data(new
            {
                report.RunId,
                report.Hour,
                MismatchCount = lines.Count(),
                Mismatches = lines.Take(MaxLines).Select(m => new { m.AdId, m.CampaignId, m.Minute, Kind = m.KindName, m.Expected, m.Found }),
            })));

    private static Guid EventId(Guid runId, Guid advertiserId) =>
        new(SHA256.HashData([.. runId.ToByteArray(), .. advertiserId.ToByteArray()]).AsSpan(0, 16));
}
