using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Webhooks;

/// <summary>
/// One webhook endpoint. Events are stored in its queue before <see cref="EnqueueAsync"/> answers; a timer that
/// interleaves with calls delivers them, so a slow receiver holds up neither the raiser nor reads. The first pending
/// event of each campaign is attempted; a later one of the same campaign waits for its success or final failure.
/// </summary>
public sealed partial class WebhookGrain(
    [PersistentState("webhook", Constants.GrainStore)] IPersistentState<WebhookGrainState> webhook,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookGrain> logger)
    : Grain, IWebhookGrain
{
    private IGrainTimer? _timer;
    private bool _delivering;
    private Task _lastWrite = Task.CompletedTask;

    private WebhookGrainState State => webhook.State;

    private IWebhookQueuesGrain Queues => GrainFactory.GetGrain<IWebhookQueuesGrain>(0);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _timer = this.RegisterGrainTimer(DeliverDueAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        Schedule();
        return Task.CompletedTask;
    }

    public async Task<WebhookRegistration?> CreateAsync(Guid advertiserId, string url, IReadOnlyList<string> events)
    {
        if (webhook.RecordExists)
        {
            throw new InvalidOperationException($"Webhook {this.GetPrimaryKey():N} exists.");
        }

        if (!await GrainFactory.GetGrain<IAdvertiserWebhooksGrain>(advertiserId).AddAsync(this.GetPrimaryKey(), events))
        {
            return null;
        }

        State.AdvertiserId = advertiserId;
        State.Url = url;
        State.Events = [.. events];
        State.Secret = WebhookSignature.NewSecret();
        State.CreatedAt = time.GetUtcNow();
        await SaveAsync();
        return new WebhookRegistration(ToInfo()!, State.Secret);
    }

    public Task<WebhookInfo?> GetAsync() => Task.FromResult(ToInfo());

    public async Task<bool> DeleteAsync()
    {
        if (!webhook.RecordExists)
        {
            return false;
        }

        await GrainFactory.GetGrain<IAdvertiserWebhooksGrain>(State.AdvertiserId).RemoveAsync(this.GetPrimaryKey());
        await (_lastWrite = AfterAsync(_lastWrite, webhook.ClearStateAsync));
        await Queues.RemoveAsync(this.GetPrimaryKey());
        Schedule();
        return true;
    }

    public async Task EnqueueAsync(WebhookEvent webhookEvent)
    {
        // A repeated publish of the same event (a retried call) is queued once.
        if (!webhook.RecordExists || State.Pending.Any(p => p.EventId == webhookEvent.Id) || State.Recent.Any(d => d.EventId == webhookEvent.Id))
        {
            return;
        }

        var now = time.GetUtcNow();
        var wasEmpty = State.Pending.Count == 0;
        State.Pending.Add(new PendingWebhookDelivery
        {
            EventId = webhookEvent.Id,
            Type = webhookEvent.Type,
            CampaignId = webhookEvent.CampaignId,
            Body = WebhookPayload.Body(webhookEvent),
            QueuedAt = now,
            NextAttemptAt = now,
        });

        // Noted before the event is stored, so no stored queue is missing from the list a silo's start resumes;
        // added to the queue first, so a pass finishing meanwhile does not find it empty and un-note it.
        if (wasEmpty)
        {
            await Queues.AddAsync(this.GetPrimaryKey());
        }

        await SaveAsync();
        Schedule();
    }

    public Task ResumeAsync() => Task.CompletedTask;

    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync() => Task.FromResult<IReadOnlyList<WebhookDelivery>>(
        [.. State.Pending.Select(p => p.ToDelivery(WebhookDeliveryStatus.Pending)), .. State.Recent]);

    /// <summary>The first pending event of each campaign: the only one that may be attempted.</summary>
    private IEnumerable<PendingWebhookDelivery> Heads() => State.Pending.GroupBy(p => p.CampaignId).Select(g => g.First());

    /// <summary>Sets the timer for the earliest head due, or stops it when nothing is pending; a running pass reschedules when done.</summary>
    private void Schedule()
    {
        if (_timer is null || _delivering)
        {
            return;
        }

        var next = webhook.RecordExists ? Heads().Select(p => (DateTimeOffset?)p.NextAttemptAt).Min() : null;
        var dueIn = next is { } at ? TimeSpan.FromTicks(Math.Max(0, (at - time.GetUtcNow()).Ticks)) : Timeout.InfiniteTimeSpan;
        _timer.Change(dueIn, Timeout.InfiniteTimeSpan);
        if (next is not null)
        {
            // A retry may be due later than idle collection would keep the grain: stay for it.
            DelayDeactivation(dueIn + TimeSpan.FromMinutes(1));
        }
    }

    private async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        if (_delivering || !webhook.RecordExists)
        {
            return;
        }

        _delivering = true;
        try
        {
            var now = time.GetUtcNow();
            var due = Heads().Where(p => p.NextAttemptAt <= now).ToList();
            if (due.Count > 0)
            {
                var (url, secret) = (State.Url, State.Secret);
                await Task.WhenAll(due.Select(p => AttemptAsync(p, url, secret)));
                if (webhook.RecordExists)
                {
                    await SaveAsync();
                    if (State.Pending.Count == 0)
                    {
                        await Queues.RemoveAsync(this.GetPrimaryKey());
                    }
                }
            }
        }
        finally
        {
            _delivering = false;
            Schedule();
        }
    }

    private async Task AttemptAsync(PendingWebhookDelivery delivery, string url, string secret)
    {
        var attempt = await sender.SendAsync(url, secret, delivery.EventId, delivery.Type, delivery.Body);
        var now = time.GetUtcNow();
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        delivery.StatusCode = attempt.StatusCode;
        delivery.Error = attempt.Error;
        if (attempt.Succeeded)
        {
            Finish(delivery, WebhookDeliveryStatus.Delivered);
        }
        else if (delivery.Attempts >= options.Value.MaxAttempts)
        {
            Finish(delivery, WebhookDeliveryStatus.Failed);
            LogGivenUp(this.GetPrimaryKey(), delivery.EventId, delivery.Type, delivery.Attempts, delivery.Error);
        }
        else
        {
            delivery.NextAttemptAt = now + options.Value.RetryDelay(delivery.Attempts);
        }
    }

    private void Finish(PendingWebhookDelivery delivery, WebhookDeliveryStatus status)
    {
        State.Pending.Remove(delivery);
        State.Recent.Insert(0, delivery.ToDelivery(status));
        if (State.Recent.Count > options.Value.KeptDeliveries)
        {
            State.Recent.RemoveRange(options.Value.KeptDeliveries, State.Recent.Count - options.Value.KeptDeliveries);
        }
    }

    /// <summary>Writes the state after any write still running: the timer's pass interleaves with calls, and two writes must not overlap.</summary>
    private Task SaveAsync() => _lastWrite = AfterAsync(_lastWrite, webhook.WriteStateAsync);

    private static async Task AfterAsync(Task previous, Func<Task> write)
    {
        // The earlier write's own caller sees its failure; this one only waits for it to end.
        await Task.WhenAny(previous);
        await write();
    }

    private WebhookInfo? ToInfo() => webhook.RecordExists
        ? new WebhookInfo(this.GetPrimaryKey(), State.AdvertiserId, State.Url, [.. State.Events], State.CreatedAt)
        : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} gave up event {EventId} ({EventType}) after {Attempts} attempts: {Error}")]
    private partial void LogGivenUp(Guid webhookId, Guid eventId, string eventType, int attempts, string? error);
}
