namespace Orleans.AdClicks.Events;

/// <summary>Reads and names an event's invalid-traffic verdict.</summary>
public static class InvalidTraffic
{
    /// <summary>The reasons an event can be invalid, in value order.</summary>
    public static readonly IReadOnlyList<InvalidTrafficReason> Reasons =
        [.. Enum.GetValues<InvalidTrafficReason>().Where(r => r != InvalidTrafficReason.None)];

    /// <summary>Highest value a stored reason may take (its field is 7 bits wide).</summary>
    public const byte MaxStored = 127;

    /// <summary>
    /// The verdict from what a record or message carries: events written before reasons existed say only
    /// "not billable", and the only reason then was an expired token.
    /// </summary>
    public static InvalidTrafficReason Of(bool billable, InvalidTrafficReason stored) =>
        billable ? InvalidTrafficReason.None : stored == InvalidTrafficReason.None ? InvalidTrafficReason.ExpiredToken : stored;

    /// <summary>The verdict of <paramref name="adEvent"/>.</summary>
    public static InvalidTrafficReason ReasonOf(this AdEvent adEvent) => Of(adEvent.Billable, adEvent.Invalid);

    /// <summary>Whether <paramref name="reason"/> is one this version knows.</summary>
    public static bool IsKnown(InvalidTrafficReason reason) => Enum.IsDefined(reason);

    /// <summary>The reason named <paramref name="name"/> as <see cref="ApiName"/> writes it.</summary>
    public static bool TryParseApiName(string name, out InvalidTrafficReason reason)
    {
        foreach (var candidate in Reasons)
        {
            if (ApiName(candidate) == name)
            {
                reason = candidate;
                return true;
            }
        }

        reason = InvalidTrafficReason.None;
        return false;
    }

    /// <summary>The reason's name in the API: camel case, e.g. "knownCrawler".</summary>
    public static string ApiName(InvalidTrafficReason reason) => reason switch
    {
        InvalidTrafficReason.ExpiredToken => "expiredToken",
        InvalidTrafficReason.KnownCrawler => "knownCrawler",
        InvalidTrafficReason.TooEarly => "tooEarly",
        InvalidTrafficReason.AddressFlood => "addressFlood",
        InvalidTrafficReason.CampaignFlood => "campaignFlood",
        _ => "none",
    };
}
