using Microsoft.Extensions.Logging;

namespace Orleans.AdClicks.Webhooks;

/// <summary>
/// The webhooks with queued events. Written only when a queue turns non-empty or empty, not per event, so one grain
/// serves the cluster.
/// </summary>
public sealed partial class WebhookQueuesGrain(
    [PersistentState("webhook-queues", Constants.GrainStore)] IPersistentState<WebhookQueuesGrainState> queues,
    ILogger<WebhookQueuesGrain> logger)
    : Grain, IWebhookQueuesGrain
{
    public async Task AddAsync(Guid webhookId)
    {
        if (queues.State.WebhookIds.Add(webhookId))
        {
            await queues.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(Guid webhookId)
    {
        if (queues.State.WebhookIds.Remove(webhookId))
        {
            await queues.WriteStateAsync();
        }
    }

    public Task ResumeAllAsync() => Task.WhenAll(queues.State.WebhookIds.ToList().Select(ResumeAsync));

    private async Task ResumeAsync(Guid webhookId)
    {
        try
        {
            await GrainFactory.GetGrain<IWebhookGrain>(webhookId).ResumeAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One webhook that cannot activate must not keep a silo from starting; its next event activates it again.
            LogResumeFailed(e, webhookId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} could not resume its deliveries")]
    private partial void LogResumeFailed(Exception exception, Guid webhookId);
}
