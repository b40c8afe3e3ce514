namespace Orleans.AdClicks.Models;

/// <summary>A webhook just registered, with the secret its deliveries are signed with: the only answer that carries it.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.webhook-registration")]
public sealed record WebhookRegistration([property: Id(0)] WebhookInfo Webhook, [property: Id(1)] string Secret);
