namespace Orleans.AdClicks.Models;

/// <summary>
/// The order of a top-ads list, highest first. Ties go to more clicks, then more impressions, then the ad id (as text);
/// CTR is clicks / impressions (0 without impressions), compared unrounded.
/// </summary>
[GenerateSerializer]
public enum TopAdsSort
{
    Clicks,
    Impressions,
    Ctr,
}
