namespace Orleans.AdClicks.Models;

/// <summary>Whether a campaign change was made.</summary>
[GenerateSerializer]
public enum CampaignChangeOutcome
{
    Changed,
    NotFound,

    /// <summary>The caller's version (If-Match) is not the current one.</summary>
    VersionMismatch,

    /// <summary>The change does not fit the campaign's status, e.g. resuming an archived campaign.</summary>
    Conflict,
}
