namespace Orleans.AdClicks.Models;

/// <summary>An advertiser's webhook endpoint: where events of the subscribed types are POSTed. Never carries the secret.</summary>
[GenerateSerializer, Immutable, Alias("adclicks.webhook")]
public sealed record WebhookInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid AdvertiserId,
    [property: Id(2)] string Url,
    [property: Id(3)] IReadOnlyList<string> Events,
    [property: Id(4)] DateTimeOffset CreatedAt);
