namespace Orleans.AdClicks.Models;

/// <summary>What an advertiser sets on a campaign: its name, when it runs and how many clicks it buys.</summary>
/// <param name="StartsAt">No ad is placed before; null starts at once.</param>
/// <param name="EndsAt">No ad is placed from then on; null runs until paused.</param>
/// <param name="TotalClickBudget">Clicks the campaign pays for in all; null is unlimited.</param>
/// <param name="DailyClickCap">Clicks per UTC day; null is unlimited.</param>
[GenerateSerializer, Immutable, Alias("adclicks.campaign-settings")]
public sealed record CampaignSettings(
    [property: Id(0)] string Name,
    [property: Id(1)] DateTimeOffset? StartsAt = null,
    [property: Id(2)] DateTimeOffset? EndsAt = null,
    [property: Id(3)] long? TotalClickBudget = null,
    [property: Id(4)] long? DailyClickCap = null);
