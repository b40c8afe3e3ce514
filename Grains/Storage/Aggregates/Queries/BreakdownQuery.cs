using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;

namespace Orleans.AdClicks.Storage.Aggregates.Queries;

/// <summary>
/// One read of the hourly breakdowns, rendered by <see cref="DuckDbSqlRenderer.RenderBreakdown"/> and
/// <see cref="KqlRenderer.RenderBreakdown"/>: the tenant's rows of one ad (all its shards), campaign or advertiser, of
/// one dimension, in the whole UTC hours [From, To), summed per value; most clicks first, then most impressions, then
/// the value (ordinal).
/// </summary>
public sealed record BreakdownQuery
{
    public BreakdownQuery(AnalyticsTenant tenant, SeriesScope scope, BreakdownDimension dimension, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(scope);
        if ((scope.AdId is null ? 0 : 1) + (scope.CampaignId is null ? 0 : 1) + (scope.AdvertiserId is null ? 0 : 1) != 1)
        {
            throw new ArgumentException("A breakdown scope names exactly one of an ad, a campaign and an advertiser.", nameof(scope));
        }

        if (!Enum.IsDefined(dimension))
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null);
        }

        MinuteBucket.ThrowIfNotHourStart(from);
        MinuteBucket.ThrowIfNotHourStart(to);
        (Tenant, Scope, Dimension, From, To) = (tenant, scope, dimension, from, to);
    }

    /// <summary>Whose rows may be read; an advertiser's id is always a filter.</summary>
    public AnalyticsTenant Tenant { get; }

    public SeriesScope Scope { get; }

    public BreakdownDimension Dimension { get; }

    /// <summary>The first hour read, inclusive.</summary>
    public DateTimeOffset From { get; }

    /// <summary>The end of the hours read, exclusive.</summary>
    public DateTimeOffset To { get; }
}
