using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Webhooks;

/// <summary>An event queued on a webhook: its body, fixed when queued, and how its attempts went so far.</summary>
[GenerateSerializer, Alias("adclicks.webhook-pending")]
public sealed class PendingWebhookDelivery
{
    [Id(0)] public Guid EventId { get; set; }

    [Id(1)] public string Type { get; set; } = "";

    /// <summary>Events of one campaign go out in order; null (events of no campaign) is one order of its own.</summary>
    [Id(2)] public Guid? CampaignId { get; set; }

    [Id(3)] public string Body { get; set; } = "";

    [Id(4)] public DateTimeOffset QueuedAt { get; set; }

    [Id(5)] public int Attempts { get; set; }

    [Id(6)] public DateTimeOffset NextAttemptAt { get; set; }

    [Id(7)] public DateTimeOffset? LastAttemptAt { get; set; }

    [Id(8)] public int? StatusCode { get; set; }

    [Id(9)] public string? Error { get; set; }

    public WebhookDelivery ToDelivery(WebhookDeliveryStatus status) =>
        new(EventId, Type, CampaignId, status, Attempts, StatusCode, Error, QueuedAt, LastAttemptAt);
}
