using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Budgets;

/// <summary>
/// Pauses a campaign whose total click budget is spent and closes it for the day when its daily cap
/// is reached. Stream counts include duplicates, so they only say when to look: the decision is made
/// on the aggregate store's deduplicated counts. Those trail the stream by about a flush, so a check
/// that finds the budget not yet spent looks again shortly.
/// </summary>
public sealed partial class CampaignBudgetGrain(IAggregateQueries aggregates, TimeProvider time, ILogger<CampaignBudgetGrain> logger)
    : Grain, ICampaignBudgetGrain
{
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(2);

    // Budgets change rarely; a second-old copy saves a campaign grain call per stream batch.
    private static readonly TimeSpan CampaignFreshFor = TimeSpan.FromSeconds(1);

    private long _confirmedTotal;
    private long _confirmedToday;
    private DateOnly _day;
    private long _seenSinceCheck;
    private IGrainTimer? _recheck;
    private CampaignInfo? _campaign;
    private DateTimeOffset _campaignReadAt;

    public async Task ObserveClicksAsync(int clicks)
    {
        _seenSinceCheck += clicks;
        var campaign = await CampaignAsync();
        if (campaign is null || campaign.Status != CampaignStatus.Active)
        {
            return;
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var todaySoFar = (_day == today ? _confirmedToday : 0) + _seenSinceCheck;
        if (campaign.Settings.TotalClickBudget is { } budget && _confirmedTotal + _seenSinceCheck >= budget
            || campaign.Settings.DailyClickCap is { } cap && todaySoFar >= cap && campaign.DailyCapReachedOn != today)
        {
            await CheckAsync(campaign, recheckIfShort: true);
        }
    }

    private async Task<CampaignInfo?> CampaignAsync()
    {
        if (_campaign is null || time.GetUtcNow() - _campaignReadAt > CampaignFreshFor)
        {
            _campaign = await GrainFactory.GetGrain<ICampaignGrain>(this.GetPrimaryKey()).GetAsync();
            _campaignReadAt = time.GetUtcNow();
        }

        return _campaign;
    }

    private async Task CheckAsync(CampaignInfo campaign, bool recheckIfShort)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var days = await aggregates.QuerySeriesAsync(
            SeriesScope.Campaign(campaign.Id), MinuteBucket.Truncate(campaign.CreatedAt, Granularity.Day), now.AddMinutes(1), Granularity.Day);
        _confirmedTotal = days.Sum(d => d.Clicks);
        _confirmedToday = days.Where(d => DateOnly.FromDateTime(d.Start.UtcDateTime) == today).Sum(d => d.Clicks);
        _day = today;
        _seenSinceCheck = 0;

        var grain = GrainFactory.GetGrain<ICampaignGrain>(campaign.Id);
        if (campaign.Settings.TotalClickBudget is { } budget && _confirmedTotal >= budget)
        {
            _campaign = (await grain.MarkBudgetSpentAsync(now)).Campaign;
            LogBudgetSpent(campaign.Id, _confirmedTotal, budget);
        }
        else if (campaign.Settings.DailyClickCap is { } cap && _confirmedToday >= cap)
        {
            await grain.MarkDailyCapReachedAsync(today);
            _campaign = null;
            LogDailyCapReached(campaign.Id, _confirmedToday, cap);
        }
        else if (recheckIfShort)
        {
            // The stream saw enough clicks but the counts may not show them yet: look once more after a flush.
            _recheck ??= this.RegisterGrainTimer(RecheckAsync, new GrainTimerCreationOptions(RecheckAfter, Timeout.InfiniteTimeSpan));
        }
    }

    private async Task RecheckAsync(CancellationToken cancellationToken)
    {
        _recheck?.Dispose();
        _recheck = null;
        _campaign = null;
        if (await CampaignAsync() is { Status: CampaignStatus.Active } campaign)
        {
            await CheckAsync(campaign, recheckIfShort: false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId}: {Clicks} clicks spent its budget of {Budget}; paused")]
    private partial void LogBudgetSpent(Guid campaignId, long clicks, long budget);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId}: {Clicks} clicks today reached its daily cap of {Cap}")]
    private partial void LogDailyCapReached(Guid campaignId, long clicks, long cap);
}
