using Orleans.AdClicks.Models;

namespace Orleans.AdClicks;

/// <summary>A campaign, keyed by its id, and the ads it holds.</summary>
public interface ICampaignGrain : IGrainWithGuidKey
{
    /// <summary>Creates the campaign for <paramref name="advertiserId"/> as active or draft; fails if it exists.</summary>
    Task<CampaignInfo> CreateAsync(Guid advertiserId, CampaignSettings settings, CampaignStatus status = CampaignStatus.Active);

    /// <summary>Replaces the settings when <paramref name="expectedVersion"/> is null or current; archived campaigns do not change.</summary>
    Task<CampaignChange> UpdateAsync(CampaignSettings settings, long? expectedVersion);

    /// <summary>Pauses (from active), resumes (from draft or paused) or archives (from anything) the campaign.</summary>
    Task<CampaignChange> SetStatusAsync(CampaignStatus status);

    /// <summary>The campaign, or null when it does not exist.</summary>
    [Concurrency.ReadOnly]
    Task<CampaignInfo?> GetAsync();

    /// <summary>Pauses the campaign because its total click budget is spent (from the budget tracker).</summary>
    Task<CampaignChange> MarkBudgetSpentAsync(DateTimeOffset at);

    /// <summary>Stops placing ads for the rest of <paramref name="day"/> (UTC): the daily click cap is reached.</summary>
    Task MarkDailyCapReachedAsync(DateOnly day);

    /// <summary>Creates an ad in this campaign and returns it.</summary>
    Task<AdInfo> CreateAdAsync(AdSettings settings);
}
