namespace Orleans.AdClicks;

/// <summary>
/// Watches one campaign's spend: told of clicks as they stream by, it confirms against the counted
/// (deduplicated) clicks before it pauses the campaign or closes it for the day.
/// </summary>
public interface ICampaignBudgetGrain : IGrainWithGuidKey
{
    /// <summary>Some billable clicks of this campaign were seen on the stream (duplicates included).</summary>
    [Concurrency.OneWay]
    Task ObserveClicksAsync(int clicks);
}
