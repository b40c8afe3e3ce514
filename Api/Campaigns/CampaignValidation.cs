using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Campaigns;

/// <summary>Checks the fields a campaign is created or updated with.</summary>
public static class CampaignValidation
{
    public static CampaignSettings Settings(Validation validation, string? name, DateTimeOffset? startsAt, DateTimeOffset? endsAt, long? totalClickBudget, long? dailyClickCap)
    {
        var checkedName = validation.Text("name", name);
        if (startsAt is { } start && endsAt is { } end && end <= start)
        {
            validation.Add("endsAt", "'endsAt' must be after 'startsAt'.");
        }

        if (totalClickBudget is < 1)
        {
            validation.Add("totalClickBudget", "'totalClickBudget' is at least 1, or left out for no limit.");
        }

        if (dailyClickCap is < 1)
        {
            validation.Add("dailyClickCap", "'dailyClickCap' is at least 1, or left out for no limit.");
        }

        return new CampaignSettings(checkedName, startsAt?.ToUniversalTime(), endsAt?.ToUniversalTime(), totalClickBudget, dailyClickCap);
    }

    /// <summary>A status a client may name: in a filter any, on creation "active" or "draft".</summary>
    public static CampaignStatus? Status(Validation validation, string field, string? text, bool creating)
    {
        if (text is null)
        {
            return null;
        }

        if (Enum.TryParse<CampaignStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(text, out _)
            && (!creating || status is CampaignStatus.Active or CampaignStatus.Draft))
        {
            return status;
        }

        validation.Add(field, creating ? $"'{field}' is active or draft." : $"'{field}' is draft, active, paused or archived.");
        return null;
    }

    /// <summary>The version an If-Match header names: null for none or "*", -1 when it names no version of ours.</summary>
    public static long? IfMatchVersion(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return null;
        }

        var value = ifMatch.Trim();
        return value.Length > 2 && value[0] == '"' && value[^1] == '"' && long.TryParse(value.AsSpan(1, value.Length - 2), out var version) ? version : -1;
    }
}
