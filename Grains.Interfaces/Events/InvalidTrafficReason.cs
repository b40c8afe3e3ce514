namespace Orleans.AdClicks.Events;

/// <summary>
/// Why an event is invalid traffic (recorded, never billed), decided once by the beacon that accepted it.
/// Stored as a byte in 7 bits: values are never renumbered.
/// </summary>
[GenerateSerializer]
public enum InvalidTrafficReason : byte
{
    /// <summary>Valid: the event is billable.</summary>
    None = 0,

    /// <summary>The token had expired when the event arrived.</summary>
    ExpiredToken = 1,

    /// <summary>The user agent is a known crawler or bot.</summary>
    KnownCrawler = 2,

    /// <summary>A click that arrived sooner after its token was issued than an impression can be seen.</summary>
    TooEarly = 3,

    /// <summary>A click beyond the limit of clicks from one client address on one ad in a window.</summary>
    AddressFlood = 4,

    /// <summary>A click beyond the limit of clicks from one client address on one campaign in a window.</summary>
    CampaignFlood = 5,
}
