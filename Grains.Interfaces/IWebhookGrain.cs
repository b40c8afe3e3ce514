using Orleans.AdClicks.Models;

namespace Orleans.AdClicks;

/// <summary>
/// One webhook endpoint, keyed by its id: its registration, the queue of events still to deliver, and its last deliveries.
/// Delivery runs on the grain's own timer, so no caller waits for a receiver.
/// </summary>
public interface IWebhookGrain : IGrainWithGuidKey
{
    /// <summary>Registers the endpoint for <paramref name="advertiserId"/>; null when the advertiser has as many webhooks as allowed.</summary>
    Task<WebhookRegistration?> CreateAsync(Guid advertiserId, string url, IReadOnlyList<string> events);

    /// <summary>The webhook, or null when it does not exist.</summary>
    [Concurrency.ReadOnly]
    Task<WebhookInfo?> GetAsync();

    /// <summary>Removes the webhook and drops what it had still to deliver; false when it did not exist.</summary>
    Task<bool> DeleteAsync();

    /// <summary>Queues <paramref name="webhookEvent"/> and answers once the queue is stored; delivery follows on its own.</summary>
    Task EnqueueAsync(WebhookEvent webhookEvent);

    /// <summary>Resumes delivering a stored queue: activating the grain is enough, this call only brings that about.</summary>
    Task ResumeAsync();

    /// <summary>The deliveries still pending, oldest first, then the last finished ones, newest first.</summary>
    [Concurrency.ReadOnly]
    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync();
}
