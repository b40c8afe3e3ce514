namespace Orleans.AdClicks.Webhooks;

/// <summary>What one attempt got: success, the status code when there was an answer, and the error otherwise.</summary>
public sealed record WebhookAttempt(bool Succeeded, int? StatusCode, string? Error);
