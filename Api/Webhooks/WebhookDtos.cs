using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Webhooks;

/// <summary>A webhook to register: an absolute https URL and the event types it wants; <see cref="AdvertiserId"/> only when the admin registers it.</summary>
public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? Events, Guid? AdvertiserId = null);

public sealed record WebhookDto(Guid Id, Guid AdvertiserId, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt);

/// <summary>The registration's answer: the webhook and its signing secret, which no later answer shows.</summary>
public sealed record CreatedWebhookDto(Guid Id, Guid AdvertiserId, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, string Secret);

public sealed record WebhookListDto(IReadOnlyList<WebhookDto> Items);

/// <summary>One event's delivery: status "pending", "delivered" or "failed", the attempts made and what the last one got.</summary>
public sealed record WebhookDeliveryDto(
    Guid EventId,
    string Type,
    Guid? CampaignId,
    string Status,
    int Attempts,
    int? StatusCode,
    string? Error,
    DateTimeOffset QueuedAt,
    DateTimeOffset? LastAttemptAt);

public sealed record WebhookDeliveryListDto(IReadOnlyList<WebhookDeliveryDto> Items);

public static class WebhookDtoExtensions
{
    public static WebhookDto ToDto(this WebhookInfo webhook) => new(webhook.Id, webhook.AdvertiserId, webhook.Url, webhook.Events, webhook.CreatedAt);

    public static CreatedWebhookDto ToDto(this WebhookRegistration registration) => new(
        registration.Webhook.Id, registration.Webhook.AdvertiserId, registration.Webhook.Url, registration.Webhook.Events, registration.Webhook.CreatedAt, registration.Secret);

    public static WebhookDeliveryDto ToDto(this WebhookDelivery delivery) => new(
        delivery.EventId, delivery.Type, delivery.CampaignId, delivery.Status.ApiName(), delivery.Attempts, delivery.StatusCode, delivery.Error, delivery.QueuedAt, delivery.LastAttemptAt);
}
