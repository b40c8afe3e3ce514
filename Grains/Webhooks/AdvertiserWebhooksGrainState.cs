namespace Orleans.AdClicks.Webhooks;

/// <summary>An advertiser's webhooks and the events each subscribes to; bounded by <see cref="WebhookOptions.MaxWebhooksPerAdvertiser"/>.</summary>
[GenerateSerializer, Alias("adclicks.advertiser-webhooks-state")]
public sealed class AdvertiserWebhooksGrainState
{
    [Id(0)] public List<Guid> WebhookIds { get; set; } = [];

    [Id(1)] public Dictionary<Guid, List<string>> EventsByWebhook { get; set; } = [];
}
