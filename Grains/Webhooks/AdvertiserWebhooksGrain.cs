using Microsoft.Extensions.Options;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Webhooks;

/// <summary>
/// An advertiser's webhooks, in one small state (a bounded number of them), so an event finds its subscribers in one
/// read and a listing is one call.
/// </summary>
public sealed class AdvertiserWebhooksGrain(
    [PersistentState("advertiser-webhooks", Constants.GrainStore)] IPersistentState<AdvertiserWebhooksGrainState> webhooks,
    IOptions<WebhookOptions> options)
    : Grain, IAdvertiserWebhooksGrain
{
    public async Task<bool> AddAsync(Guid webhookId, IReadOnlyList<string> events)
    {
        if (webhooks.State.EventsByWebhook.ContainsKey(webhookId))
        {
            return true;
        }

        if (webhooks.State.WebhookIds.Count >= options.Value.MaxWebhooksPerAdvertiser)
        {
            return false;
        }

        webhooks.State.WebhookIds.Add(webhookId);
        webhooks.State.EventsByWebhook[webhookId] = [.. events];
        await webhooks.WriteStateAsync();
        return true;
    }

    public async Task RemoveAsync(Guid webhookId)
    {
        if (webhooks.State.EventsByWebhook.Remove(webhookId))
        {
            webhooks.State.WebhookIds.Remove(webhookId);
            await webhooks.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<Guid>> ListAsync() => Task.FromResult<IReadOnlyList<Guid>>([.. webhooks.State.WebhookIds]);

    public Task PublishAsync(WebhookEvent webhookEvent) => Task.WhenAll(webhooks.State.WebhookIds
        .Where(id => webhooks.State.EventsByWebhook[id].Contains(webhookEvent.Type))
        .Select(id => GrainFactory.GetGrain<IWebhookGrain>(id).EnqueueAsync(webhookEvent)));
}
