using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Api.Analytics;

/// <summary>Invalid clicks (recorded, never billed) by reason; every reason is always present, 0 when none.</summary>
public sealed record InvalidClicksByReasonDto(long ExpiredToken, long KnownCrawler, long TooEarly, long AddressFlood, long CampaignFlood)
{
    public static InvalidClicksByReasonDto From(InvalidClickCounts counts) =>
        new(counts.ExpiredToken, counts.KnownCrawler, counts.TooEarly, counts.AddressFlood, counts.CampaignFlood);
}
