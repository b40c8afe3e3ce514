namespace Orleans.AdClicks.Models;

/// <summary>One event's delivery to one webhook: how many attempts, and what the last one got.</summary>
/// <param name="StatusCode">The last attempt's HTTP status, or null when it got no answer (timeout, refused connection).</param>
/// <param name="Error">Why the last attempt failed, or null when it succeeded or none was made yet.</param>
[GenerateSerializer, Immutable, Alias("adclicks.webhook-delivery")]
public sealed record WebhookDelivery(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] Guid? CampaignId,
    [property: Id(3)] WebhookDeliveryStatus Status,
    [property: Id(4)] int Attempts,
    [property: Id(5)] int? StatusCode,
    [property: Id(6)] string? Error,
    [property: Id(7)] DateTimeOffset QueuedAt,
    [property: Id(8)] DateTimeOffset? LastAttemptAt);
