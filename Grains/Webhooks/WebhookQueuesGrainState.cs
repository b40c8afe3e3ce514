namespace Orleans.AdClicks.Webhooks;

/// <summary>The ids of the webhooks whose queues were not empty when last noted.</summary>
[GenerateSerializer, Alias("adclicks.webhook-queues-state")]
public sealed class WebhookQueuesGrainState
{
    [Id(0)] public HashSet<Guid> WebhookIds { get; set; } = [];
}
