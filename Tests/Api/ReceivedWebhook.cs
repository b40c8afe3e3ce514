namespace Orleans.AdClicks.Tests.Api;

/// <summary>One delivery as the receiver saw it; <see cref="Attempt"/> counts the deliveries of its event at this endpoint, this one included.</summary>
public sealed record ReceivedWebhook(
    string Name, long Sequence, string EventId, string EventType, string Timestamp, string Signature, string Body, int Attempt, DateTimeOffset At);
