using Orleans.AdClicks.Events;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Orleans.AdClicks.Budgets;

/// <summary>
/// The budget tracker's own subscriber of the "clicks" stream (one per ad shard, beside the AdGrain,
/// which knows nothing of budgets): tells each campaign how many billable clicks went by.
/// </summary>
[RegexImplicitStreamSubscription(Constants.ClicksNamespacePattern)]
public sealed class AdSpendGrain : Grain, IGrainWithStringKey, IStreamSubscriptionObserver, IAsyncBatchObserver<AdEvent>
{
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        await handleFactory.Create<AdEvent>().ResumeAsync(this);
    }

    public Task OnNextAsync(IList<SequentialItem<AdEvent>> items)
    {
        foreach (var campaign in items.Select(i => i.Item).Where(e => e.Billable && e.Kind == AdEventKind.Click).GroupBy(e => e.CampaignId))
        {
            GrainFactory.GetGrain<ICampaignBudgetGrain>(campaign.Key).ObserveClicksAsync(campaign.Count()).Ignore();
        }

        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
