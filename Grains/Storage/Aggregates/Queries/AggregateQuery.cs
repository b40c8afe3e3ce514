using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.Aggregates.Queries;

/// <summary>
/// One read of the aggregate store, described once as data and rendered by <see cref="DuckDbSqlRenderer"/> and
/// <see cref="KqlRenderer"/>: whose rows (<see cref="Tenant"/>), which rows (the filters and [From, To)), and what
/// comes back (<see cref="Grouping"/>). Made only by the factories, one per read the product does.
/// </summary>
public sealed record AggregateQuery
{
    private AggregateQuery(AggregateGrouping grouping, AnalyticsTenant tenant)
    {
        Grouping = grouping;
        Tenant = tenant;
    }

    public AggregateGrouping Grouping { get; }

    /// <summary>Whose rows may be read; an advertiser's id is always a filter, whatever the other filters say.</summary>
    public AnalyticsTenant Tenant { get; }

    /// <summary>The first minute read, inclusive.</summary>
    public DateTimeOffset? From { get; private init; }

    /// <summary>The end of the range, exclusive.</summary>
    public DateTimeOffset? To { get; private init; }

    public Guid? AdId { get; private init; }

    public int? Shard { get; private init; }

    public Guid? CampaignId { get; private init; }

    /// <summary>A filter on one advertiser's rows, besides the tenant's.</summary>
    public Guid? AdvertiserId { get; private init; }

    /// <summary>
    /// The ads whose id (lowercase "D" text) starts with these hex digits: the two of one <see cref="AdSlice"/>, or
    /// three for one of its <see cref="HourPieces"/> pieces.
    /// </summary>
    public string? AdIdPrefix { get; private init; }

    /// <summary>The bucket size of <see cref="AggregateGrouping.Buckets"/>.</summary>
    public Granularity Granularity { get; private init; }

    /// <summary>The most ads of <see cref="AggregateGrouping.Ads"/>.</summary>
    public int Limit { get; private init; }

    /// <summary>The order of <see cref="AggregateGrouping.Ads"/>, with its ties (see <see cref="TopAdsSort"/>).</summary>
    public TopAdsSort Sort { get; private init; }

    /// <summary>Clicks and impressions per bucket of one ad (all its shards), one campaign or one advertiser (all their ads).</summary>
    public static AggregateQuery Series(AnalyticsTenant tenant, SeriesScope scope, DateTimeOffset from, DateTimeOffset to, Granularity granularity)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if ((scope.AdId is null ? 0 : 1) + (scope.CampaignId is null ? 0 : 1) + (scope.AdvertiserId is null ? 0 : 1) != 1)
        {
            throw new ArgumentException("A series scope names exactly one of an ad, a campaign and an advertiser.", nameof(scope));
        }

        if (!Enum.IsDefined(granularity))
        {
            throw new ArgumentOutOfRangeException(nameof(granularity), granularity, null);
        }

        return new(AggregateGrouping.Buckets, tenant)
        {
            From = from,
            To = to,
            AdId = scope.AdId,
            CampaignId = scope.CampaignId,
            AdvertiserId = scope.AdvertiserId,
            Granularity = granularity,
        };
    }

    /// <summary>The ads ranked by the query's sort in the range, optionally of one campaign or one advertiser.</summary>
    public static AggregateQuery TopAds(AnalyticsTenant tenant, TopAdsQuery query)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        if (!Enum.IsDefined(query.Sort))
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Sort, "Not a top-ads sort.");
        }

        return new(AggregateGrouping.Ads, tenant)
        {
            From = query.From,
            To = query.To,
            CampaignId = query.CampaignId,
            AdvertiserId = query.AdvertiserId,
            Limit = query.Limit,
            Sort = query.Sort,
        };
    }

    /// <summary>The pieces <see cref="HourPiece"/> cuts a slice's hour into: one per hex digit after the slice's two.</summary>
    public const int HourPieces = 16;

    /// <summary>Reconciliation's read: every row of the ads of <paramref name="slice"/> in the UTC hour starting at <paramref name="hour"/>.</summary>
    public static AggregateQuery Hour(DateTimeOffset hour, int slice) => HourOf(hour, AdSlice.Prefix(slice));

    /// <summary>
    /// One of the <see cref="HourPieces"/> pieces of <see cref="Hour"/>: the rows of the slice's ads whose third hex
    /// digit is <paramref name="piece"/>, for a store that caps the size of an answer. The pieces in order, each in
    /// its own order, are the slice's rows in <see cref="Hour"/>'s order, and all rows of an ad are in one piece.
    /// </summary>
    public static AggregateQuery HourPiece(DateTimeOffset hour, int slice, int piece)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(piece);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(piece, HourPieces);
        return HourOf(hour, AdSlice.Prefix(slice) + piece.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static AggregateQuery HourOf(DateTimeOffset hour, string adIdPrefix)
    {
        MinuteBucket.ThrowIfNotHourStart(hour);
        return new(AggregateGrouping.Rows, AnalyticsTenant.All) { From = hour, To = hour.AddHours(1), AdIdPrefix = adIdPrefix };
    }

    /// <summary>An ad shard's highest version, which its counting grain must exceed.</summary>
    public static AggregateQuery LatestVersion(AdKey key) =>
        new(AggregateGrouping.LatestVersion, AnalyticsTenant.All) { AdId = key.AdId, Shard = key.Shard };
}
