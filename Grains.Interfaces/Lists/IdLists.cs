namespace Orleans.AdClicks.Lists;

/// <summary>The names of the id lists (<see cref="IIdListGrain"/> keys).</summary>
public static class IdLists
{
    /// <summary>Every advertiser, oldest first.</summary>
    public const string Advertisers = "advertisers";

    /// <summary>Every campaign of every advertiser, oldest first, tagged with its status: the admin's list.</summary>
    public const string AllCampaigns = "campaigns";

    /// <summary>One advertiser's campaigns, oldest first, tagged with their status.</summary>
    public static string CampaignsOf(Guid advertiserId) => $"campaigns/{advertiserId:N}";

    /// <summary>One campaign's ads, oldest first.</summary>
    public static string AdsOf(Guid campaignId) => $"ads/{campaignId:N}";

    /// <summary>The key of page <paramref name="page"/> of list <paramref name="list"/>.</summary>
    public static string Page(string list, long page) => $"{list}#{page}";
}
