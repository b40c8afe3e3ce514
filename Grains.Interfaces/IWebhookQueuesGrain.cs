namespace Orleans.AdClicks;

/// <summary>
/// The webhooks that have something to deliver (key 0), so a silo's start can resume them: a webhook's queue is
/// stored, but its grain would otherwise wait for an event or a read to activate it.
/// </summary>
public interface IWebhookQueuesGrain : IGrainWithIntegerKey
{
    /// <summary>Notes that the webhook's queue is no longer empty.</summary>
    Task AddAsync(Guid webhookId);

    /// <summary>Notes that the webhook's queue is empty, or that the webhook is gone.</summary>
    Task RemoveAsync(Guid webhookId);

    /// <summary>Activates every webhook noted, each resuming its deliveries; each silo's start calls it.</summary>
    Task ResumeAllAsync();
}
