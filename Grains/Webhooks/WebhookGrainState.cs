using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Webhooks;

/// <summary>The persisted webhook: its registration with the signing secret, its queue, and its last finished deliveries.</summary>
[GenerateSerializer, Alias("adclicks.webhook-state")]
public sealed class WebhookGrainState
{
    [Id(0)] public Guid AdvertiserId { get; set; }

    [Id(1)] public string Url { get; set; } = "";

    [Id(2)] public List<string> Events { get; set; } = [];

    /// <summary>Kept in clear because every delivery is signed with it; no answer but the registration's carries it.</summary>
    [Id(3)] public string Secret { get; set; } = "";

    [Id(4)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Events not yet delivered or given up, in the order queued.</summary>
    [Id(5)] public List<PendingWebhookDelivery> Pending { get; set; } = [];

    /// <summary>Finished deliveries, newest first, at most <see cref="WebhookOptions.KeptDeliveries"/>.</summary>
    [Id(6)] public List<WebhookDelivery> Recent { get; set; } = [];
}
