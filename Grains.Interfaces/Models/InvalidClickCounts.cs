using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Models;

/// <summary>
/// Invalid clicks (recorded, never billed) per <see cref="InvalidTrafficReason"/>: what one minute row, bucket or ad
/// total carries beside its billable clicks. Only clicks are counted here; an invalid impression is kept in the raw
/// store and counted nowhere.
/// </summary>
[GenerateSerializer, Immutable, Alias("adclicks.invalid-click-counts")]
public readonly record struct InvalidClickCounts(
    [property: Id(0)] long ExpiredToken,
    [property: Id(1)] long KnownCrawler,
    [property: Id(2)] long TooEarly,
    [property: Id(3)] long AddressFlood,
    [property: Id(4)] long CampaignFlood)
{
    /// <summary>
    /// How long after its token expired an expired click still counts as an invalid click. It bounds how far back a
    /// recount reads (the raw store files events by their token's issue day), so live counting and every recount apply
    /// the same bound and agree; a later one is kept in the raw store and counted nowhere.
    /// </summary>
    public static readonly TimeSpan ExpiredClicksCountedFor = TimeSpan.FromDays(1);

    /// <summary>All invalid clicks, whatever the reason.</summary>
    public long Total => ExpiredToken + KnownCrawler + TooEarly + AddressFlood + CampaignFlood;

    /// <summary>The count of one reason; 0 for None.</summary>
    public long this[InvalidTrafficReason reason] => reason switch
    {
        InvalidTrafficReason.ExpiredToken => ExpiredToken,
        InvalidTrafficReason.KnownCrawler => KnownCrawler,
        InvalidTrafficReason.TooEarly => TooEarly,
        InvalidTrafficReason.AddressFlood => AddressFlood,
        InvalidTrafficReason.CampaignFlood => CampaignFlood,
        _ => 0,
    };

    /// <summary>These counts with <paramref name="count"/> more of <paramref name="reason"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">None, or a reason this version does not know.</exception>
    public InvalidClickCounts Add(InvalidTrafficReason reason, long count = 1) => reason switch
    {
        InvalidTrafficReason.ExpiredToken => this with { ExpiredToken = ExpiredToken + count },
        InvalidTrafficReason.KnownCrawler => this with { KnownCrawler = KnownCrawler + count },
        InvalidTrafficReason.TooEarly => this with { TooEarly = TooEarly + count },
        InvalidTrafficReason.AddressFlood => this with { AddressFlood = AddressFlood + count },
        InvalidTrafficReason.CampaignFlood => this with { CampaignFlood = CampaignFlood + count },
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a reason an invalid click is counted by."),
    };

    public static InvalidClickCounts operator +(InvalidClickCounts left, InvalidClickCounts right) => new(
        left.ExpiredToken + right.ExpiredToken,
        left.KnownCrawler + right.KnownCrawler,
        left.TooEarly + right.TooEarly,
        left.AddressFlood + right.AddressFlood,
        left.CampaignFlood + right.CampaignFlood);

    /// <summary>The sum of <paramref name="counts"/>.</summary>
    public static InvalidClickCounts Sum(IEnumerable<InvalidClickCounts> counts) => counts.Aggregate(default(InvalidClickCounts), (sum, c) => sum + c);

    /// <summary>
    /// True when <paramref name="adEvent"/> counts as an invalid click: a click with a reason this version knows, and
    /// for an expired token, one at most <see cref="ExpiredClicksCountedFor"/> after its expiry. Decided from the event
    /// alone, so counting, recounting and reconciliation agree.
    /// </summary>
    public static bool Counts(AdEvent adEvent) =>
        adEvent.Kind == AdEventKind.Click && Counts(adEvent.ReasonOf(), adEvent.Timestamp, adEvent.TokenExpiresAt);

    /// <summary>The rule of <see cref="Counts(AdEvent)"/> for a click read back as its stored fields.</summary>
    public static bool Counts(InvalidTrafficReason reason, DateTimeOffset timestamp, DateTimeOffset tokenExpiresAt) =>
        reason != InvalidTrafficReason.None && InvalidTraffic.IsKnown(reason)
        && (reason != InvalidTrafficReason.ExpiredToken || timestamp < tokenExpiresAt + ExpiredClicksCountedFor);
}
