using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Lists;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Webhooks;

namespace Orleans.AdClicks.Campaigns;

/// <summary>A campaign of one advertiser: its settings, its status and the ads it holds.</summary>
public sealed partial class CampaignGrain(
    [PersistentState("campaign", Constants.GrainStore)] IPersistentState<CampaignGrainState> campaign,
    TimeProvider time,
    ILogger<CampaignGrain> logger)
    : Grain, ICampaignGrain, IRemindable
{
    private const string EndReminder = "end";

    // Orleans takes a reminder's first tick at most this far ahead; a later end re-arms at each tick.
    private static readonly TimeSpan LongestEndWait = TimeSpan.FromDays(7);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (campaign.State.AdIds.Count > 0)
        {
            await LegacyIdLists.MoveAsync(
                campaign.State.AdIds,
                async adId => await GrainFactory.GetGrain<IAdDefinitionGrain>(adId).GetAsync() is { } ad ? (int)ad.Status : null,
                List(IdLists.AdsOf(this.GetPrimaryKey())));
            campaign.State.AdIds = [];
            await campaign.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<CampaignInfo> CreateAsync(Guid advertiserId, CampaignSettings settings, CampaignStatus status = CampaignStatus.Active)
    {
        if (campaign.RecordExists)
        {
            throw new InvalidOperationException($"Campaign {this.GetPrimaryKey():N} exists.");
        }

        if (status is not (CampaignStatus.Active or CampaignStatus.Draft))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A campaign starts active or as a draft.");
        }

        campaign.State.AdvertiserId = advertiserId;
        campaign.State.Apply(settings);
        campaign.State.Status = status;
        campaign.State.CreatedAt = time.GetUtcNow();
        await SaveAsync();
        var id = this.GetPrimaryKey();
        campaign.State.AdvertiserListPosition = await List(IdLists.CampaignsOf(advertiserId)).AddAsync(id, (int)status);
        campaign.State.AllListPosition = await List(IdLists.AllCampaigns).AddAsync(id, (int)status);
        await campaign.WriteStateAsync();
        if (settings.EndsAt is not null)
        {
            await ArmEndReminderAsync();
        }

        return ToInfo()!;
    }

    public Task<CampaignInfo?> GetAsync() => Task.FromResult(ToInfo());

    public async Task<CampaignChange> UpdateAsync(CampaignSettings settings, long? expectedVersion)
    {
        if (Refuse(expectedVersion) is { } refused)
        {
            return refused;
        }

        // A new budget or cap is judged afresh by the budget tracker.
        if (settings.TotalClickBudget != campaign.State.TotalClickBudget)
        {
            campaign.State.BudgetSpentAt = null;
        }

        if (settings.DailyClickCap != campaign.State.DailyClickCap)
        {
            campaign.State.DailyCapReachedOn = null;
        }

        var endMoved = settings.EndsAt != campaign.State.EndsAt;
        campaign.State.Apply(settings);
        await SaveAsync();
        if (endMoved)
        {
            await ArmEndReminderAsync();
        }

        return new CampaignChange(ChangeOutcome.Changed, ToInfo());
    }

    public async Task<CampaignChange> SetStatusAsync(CampaignStatus status)
    {
        if (Refuse(expectedVersion: null, allowArchive: status == CampaignStatus.Archived) is { } refused)
        {
            return refused;
        }

        var current = campaign.State.Status;
        var allowed = status switch
        {
            CampaignStatus.Paused => current is CampaignStatus.Active or CampaignStatus.Paused,
            CampaignStatus.Active => current is CampaignStatus.Draft or CampaignStatus.Paused or CampaignStatus.Active,
            CampaignStatus.Archived => true,
            _ => false,
        };
        if (!allowed)
        {
            return new CampaignChange(ChangeOutcome.Conflict, ToInfo(), $"A {current.ApiName()} campaign cannot become {status.ApiName()}.");
        }

        if (current != status)
        {
            campaign.State.Status = status;
            await SaveAsync();
            await RetagAsync();
        }

        return new CampaignChange(ChangeOutcome.Changed, ToInfo());
    }

    public async Task<CampaignChange> MarkBudgetSpentAsync(DateTimeOffset at)
    {
        if (!campaign.RecordExists)
        {
            return new CampaignChange(ChangeOutcome.NotFound, null);
        }

        var newlySpent = campaign.State.BudgetSpentAt is null;
        var changed = newlySpent || campaign.State.Status == CampaignStatus.Active;
        campaign.State.BudgetSpentAt ??= at;
        if (campaign.State.Status == CampaignStatus.Active)
        {
            campaign.State.Status = CampaignStatus.Paused;
        }

        if (changed)
        {
            await SaveAsync();
            await RetagAsync();
        }

        if (newlySpent)
        {
            await RaiseAsync(WebhookEvents.BudgetSpent, new { campaign.State.Name, campaign.State.TotalClickBudget, campaign.State.BudgetSpentAt });
        }

        return new CampaignChange(ChangeOutcome.Changed, ToInfo());
    }

    public async Task MarkDailyCapReachedAsync(DateOnly day)
    {
        if (campaign.RecordExists && campaign.State.DailyCapReachedOn != day)
        {
            campaign.State.DailyCapReachedOn = day;
            await SaveAsync();
            await RaiseAsync(WebhookEvents.DailyCapReached, new { campaign.State.Name, campaign.State.DailyClickCap, Day = day });
        }
    }

    public async Task<AdInfo> CreateAdAsync(AdSettings settings)
    {
        if (!campaign.RecordExists)
        {
            throw new InvalidOperationException($"Campaign {this.GetPrimaryKey():N} does not exist.");
        }

        var adId = Guid.NewGuid();
        // The ad adds itself to the campaign's list (IdLists.AdsOf), tagged with its status.
        return await GrainFactory.GetGrain<IAdDefinitionGrain>(adId).CreateAsync(
            new AdInfo(adId, this.GetPrimaryKey(), campaign.State.AdvertiserId, settings.Name, settings.TargetUrl, time.GetUtcNow(), Creative: settings.Creative));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != EndReminder)
        {
            return;
        }

        if (campaign.RecordExists && campaign.State.EndsAt is { } end && campaign.State.EndRaisedFor != end
            && campaign.State.Status != CampaignStatus.Archived && time.GetUtcNow() >= end)
        {
            campaign.State.EndRaisedFor = end;
            await campaign.WriteStateAsync();
            await RaiseAsync(WebhookEvents.Ended, new { campaign.State.Name, EndsAt = end });
        }

        await ArmEndReminderAsync();
    }

    /// <summary>
    /// Sets the reminder that raises <see cref="WebhookEvents.Ended"/> when the end passes, or removes it when there is
    /// no end left to raise (none, raised already, or archived).
    /// </summary>
    private async Task ArmEndReminderAsync()
    {
        var state = campaign.State;
        if (state.EndsAt is { } end && state.EndRaisedFor != end && state.Status != CampaignStatus.Archived)
        {
            var wait = end - time.GetUtcNow();
            var due = wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < LongestEndWait ? wait : LongestEndWait;
            // The period only matters when a tick fails: each tick re-arms or removes the reminder.
            await this.RegisterOrUpdateReminder(EndReminder, due, TimeSpan.FromMinutes(1));
        }
        else if (await this.GetReminder(EndReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Tells the campaign lists its new status, for their status filters and counts.</summary>
    private async Task RetagAsync()
    {
        var (id, status) = (this.GetPrimaryKey(), (int)campaign.State.Status);

        // A campaign listed before it kept its positions (moved from its advertiser's old list) finds them once.
        if (campaign.State.AdvertiserListPosition is null || campaign.State.AllListPosition is null)
        {
            campaign.State.AdvertiserListPosition ??= await List(IdLists.CampaignsOf(campaign.State.AdvertiserId)).FindAsync(id);
            campaign.State.AllListPosition ??= await List(IdLists.AllCampaigns).FindAsync(id);
            await campaign.WriteStateAsync();
        }

        if (campaign.State.AdvertiserListPosition is { } own)
        {
            await List(IdLists.CampaignsOf(campaign.State.AdvertiserId)).SetTagAsync(own, id, status);
        }

        if (campaign.State.AllListPosition is { } all)
        {
            await List(IdLists.AllCampaigns).SetTagAsync(all, id, status);
        }
    }

    /// <summary>
    /// Queues the event on the advertiser's webhooks, after the change it reports is stored. The call returns once the
    /// queues are stored, never waiting for a receiver; a failure is logged, not passed to the budget tracker, whose
    /// retry would find the change made and raise nothing.
    /// </summary>
    private async Task RaiseAsync(string type, object data)
    {
        var raised = new WebhookEvent(Guid.NewGuid(), type, time.GetUtcNow(), campaign.State.AdvertiserId, this.GetPrimaryKey(), WebhookPayload.Data(data));
        try
        {
            await GrainFactory.GetGrain<IAdvertiserWebhooksGrain>(campaign.State.AdvertiserId).PublishAsync(raised);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRaiseFailed(e, this.GetPrimaryKey(), type, raised.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Campaign {CampaignId} could not queue webhook event {EventType} {EventId}")]
    private partial void LogRaiseFailed(Exception exception, Guid campaignId, string eventType, Guid eventId);

    private IIdListGrain List(string name) => GrainFactory.GetGrain<IIdListGrain>(name);

    /// <summary>Why a change may not be made now, or null when it may.</summary>
    private CampaignChange? Refuse(long? expectedVersion, bool allowArchive = false)
    {
        if (!campaign.RecordExists)
        {
            return new CampaignChange(ChangeOutcome.NotFound, null);
        }

        if (expectedVersion is { } version && version != campaign.State.Version)
        {
            return new CampaignChange(ChangeOutcome.VersionMismatch, ToInfo(), "The campaign changed since it was read.");
        }

        return campaign.State.Status == CampaignStatus.Archived && !allowArchive
            ? new CampaignChange(ChangeOutcome.Conflict, ToInfo(), "An archived campaign does not change.")
            : null;
    }

    private async Task SaveAsync()
    {
        campaign.State.Version++;
        campaign.State.UpdatedAt = time.GetUtcNow();
        await campaign.WriteStateAsync();
    }

    private CampaignInfo? ToInfo()
    {
        if (!campaign.RecordExists)
        {
            return null;
        }

        var state = campaign.State;
        return new CampaignInfo(
            this.GetPrimaryKey(), state.AdvertiserId, state.Name, state.CreatedAt, state.Status,
            new CampaignSettings(state.Name, state.StartsAt, state.EndsAt, state.TotalClickBudget, state.DailyClickCap),
            state.UpdatedAt, state.Version, state.BudgetSpentAt, state.DailyCapReachedOn);
    }
}
