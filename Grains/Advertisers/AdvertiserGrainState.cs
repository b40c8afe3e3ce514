namespace Orleans.AdClicks.Advertisers;

/// <summary>The persisted advertiser: its API key only as a SHA-256 hash. Its campaigns are in the id list <c>IdLists.CampaignsOf</c>.</summary>
[GenerateSerializer, Alias("adclicks.advertiser-state")]
public sealed class AdvertiserGrainState
{
    [Id(0)] public string Name { get; set; } = "";

    [Id(1)] public byte[] ApiKeyHash { get; set; } = [];

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Only in state written before the id lists (its name is that state's, for the JSON fallback too): the campaigns'
    /// ids, moved into the advertiser's list and the list of every campaign on activation, then emptied.
    /// </summary>
    [Id(3)] public List<Guid> CampaignIds { get; set; } = [];
}
