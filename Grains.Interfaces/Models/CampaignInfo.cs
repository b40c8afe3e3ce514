namespace Orleans.AdClicks.Models;

/// <summary>A campaign: the advertiser's container of ads, with its schedule, budget and status.</summary>
/// <param name="Version">Grows with every change; the API's ETag.</param>
/// <param name="BudgetSpentAt">When the total click budget was found spent; clicks after it are over budget.</param>
/// <param name="DailyCapReachedOn">The UTC day whose click cap was reached; no ad is placed for the rest of it.</param>
[GenerateSerializer, Immutable, Alias("adclicks.campaign")]
public sealed record CampaignInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid AdvertiserId,
    [property: Id(2)] string Name,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] CampaignStatus Status,
    [property: Id(5)] CampaignSettings Settings,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7)] long Version,
    [property: Id(8)] DateTimeOffset? BudgetSpentAt = null,
    [property: Id(9)] DateOnly? DailyCapReachedOn = null)
{
    /// <summary>Why no ad of this campaign may be placed at <paramref name="now"/>, or null when it may.</summary>
    public string? RefusesPlacementAt(DateTimeOffset now) => Status switch
    {
        not CampaignStatus.Active => $"The campaign is {Status.ApiName()}.",
        _ when Settings.StartsAt is { } start && now < start => $"The campaign starts at {start:O}.",
        _ when Settings.EndsAt is { } end && now >= end => $"The campaign ended at {end:O}.",
        _ when DailyCapReachedOn == DateOnly.FromDateTime(now.UtcDateTime) => "The campaign's daily click cap is reached for today (UTC).",
        _ => null,
    };
}
