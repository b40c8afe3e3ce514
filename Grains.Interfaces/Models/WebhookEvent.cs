namespace Orleans.AdClicks.Models;

/// <summary>
/// Something an advertiser's webhooks may be told. <see cref="Id"/> is the idempotency key, the same on every retry;
/// events of one <see cref="CampaignId"/> are delivered in the order raised.
/// </summary>
/// <param name="Data">The event's own fields, a JSON object, sent as the payload's "data".</param>
[GenerateSerializer, Immutable, Alias("adclicks.webhook-event")]
public sealed record WebhookEvent(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] Guid AdvertiserId,
    [property: Id(4)] Guid? CampaignId,
    [property: Id(5)] string Data);
