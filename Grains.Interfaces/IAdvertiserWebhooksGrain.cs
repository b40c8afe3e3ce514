using Orleans.AdClicks.Models;

namespace Orleans.AdClicks;

/// <summary>One advertiser's webhooks (keyed by the advertiser's id): which exist and which events each wants.</summary>
public interface IAdvertiserWebhooksGrain : IGrainWithGuidKey
{
    /// <summary>Adds the webhook; false when the advertiser has as many as allowed.</summary>
    Task<bool> AddAsync(Guid webhookId, IReadOnlyList<string> events);

    /// <summary>Removes the webhook.</summary>
    Task RemoveAsync(Guid webhookId);

    /// <summary>The advertiser's webhook ids, oldest first.</summary>
    [Concurrency.ReadOnly]
    Task<IReadOnlyList<Guid>> ListAsync();

    /// <summary>Queues the event on every webhook of the advertiser that subscribes to its type; answers once they are stored.</summary>
    Task PublishAsync(WebhookEvent webhookEvent);
}
