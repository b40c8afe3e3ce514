namespace Orleans.AdClicks.Models;

/// <summary>Whether a change to a campaign or an ad was made.</summary>
[GenerateSerializer]
public enum ChangeOutcome
{
    Changed,
    NotFound,

    /// <summary>The caller's version (If-Match) is not the current one.</summary>
    VersionMismatch,

    /// <summary>The change does not fit the current status, e.g. resuming an archived campaign.</summary>
    Conflict,
}
