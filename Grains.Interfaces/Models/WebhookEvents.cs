namespace Orleans.AdClicks.Models;

/// <summary>The event types an advertiser's webhook may subscribe to, as they are named on the wire.</summary>
public static class WebhookEvents
{
    /// <summary>The campaign's total click budget is spent; it is paused.</summary>
    public const string BudgetSpent = "campaign.budget_spent";

    /// <summary>The campaign's daily click cap is reached; no ad is placed for the rest of the UTC day.</summary>
    public const string DailyCapReached = "campaign.daily_cap_reached";

    /// <summary>The campaign's end (its endsAt) has passed.</summary>
    public const string Ended = "campaign.ended";

    /// <summary>A reconciliation run found minute counts of the advertiser's ads that differed from their recount (and repaired them).</summary>
    public const string ReconciliationMismatches = "reconciliation.mismatches";

    public static IReadOnlyList<string> All { get; } = [BudgetSpent, DailyCapReached, Ended, ReconciliationMismatches];
}
