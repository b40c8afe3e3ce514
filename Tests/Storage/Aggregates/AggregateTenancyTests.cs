using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Aggregates.Queries;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tests.Kusto;

namespace Orleans.AdClicks.Tests.Storage.Aggregates;

/// <summary>
/// An advertiser's reads see only its rows whatever ids it passes: the store itself filters by the tenant,
/// behind the Api's ownership checks (which these calls bypass).
/// </summary>
public sealed class AggregateTenancyTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly Guid _mine = Guid.NewGuid();
    private readonly Guid _theirs = Guid.NewGuid();
    private readonly Guid _myCampaign = Guid.NewGuid();
    private readonly Guid _theirCampaign = Guid.NewGuid();
    private readonly Guid _myAd = Guid.NewGuid();
    private readonly Guid _theirAd = Guid.NewGuid();
    private DuckDbAggregateStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AnalyticsTenant Me => AnalyticsTenant.Advertiser(_mine);

    public async ValueTask InitializeAsync()
    {
        _store = DuckDbAggregateStore.Open(Path.Combine(_directory.Path, "aggregates.duckdb"), NullLogger<DuckDbAggregateStore>.Instance);
        await _store.WriteAsync(
        [
            new MinuteCountRow(_myAd, 0, _myCampaign, _mine, T0, 1, 10, 1),
            new MinuteCountRow(_theirAd, 0, _theirCampaign, _theirs, T0, 50, 500, 1),
            new MinuteCountRow(_theirAd, 1, _theirCampaign, _theirs, T0.AddMinutes(1), 5, 50, 1),
        ], Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Series_AnotherAdvertisersAd_NoRows()
    {
        Assert.Empty(await _store.QuerySeriesAsync(Me, SeriesScope.Ad(_theirAd), T0, T0.AddHours(1), Granularity.Minute, Ct));
        Assert.Equal(2, (await _store.QuerySeriesAsync(AnalyticsTenant.All, SeriesScope.Ad(_theirAd), T0, T0.AddHours(1), Granularity.Minute, Ct)).Count);
    }

    [Fact]
    public async Task Series_AnotherAdvertisersCampaign_NoRows()
    {
        Assert.Empty(await _store.QuerySeriesAsync(Me, SeriesScope.Campaign(_theirCampaign), T0, T0.AddDays(1), Granularity.Day, Ct));
        Assert.Equal([new BucketCount(T0.AddHours(-10), 55, 550)], await _store.QuerySeriesAsync(AnalyticsTenant.All, SeriesScope.Campaign(_theirCampaign), T0.AddHours(-10), T0.AddHours(14), Granularity.Day, Ct));
    }

    [Fact]
    public async Task TopAds_AnotherAdvertisersCampaign_NoRows()
    {
        Assert.Empty(await _store.QueryTopAdsAsync(Me, new TopAdsQuery(T0, T0.AddHours(1), 100, _theirCampaign, null), Ct));
    }

    [Fact]
    public async Task TopAds_AnotherAdvertisersIdAsFilter_NoRows()
    {
        Assert.Empty(await _store.QueryTopAdsAsync(Me, new TopAdsQuery(T0, T0.AddHours(1), 100, null, _theirs), Ct));
    }

    [Fact]
    public async Task TopAds_NoFilters_OnlyOwnAds_AllSeesBoth()
    {
        Assert.Equal([new AdTotal(_myAd, _myCampaign, 1, 10)], await _store.QueryTopAdsAsync(Me, new TopAdsQuery(T0, T0.AddHours(1), 100, null, null), Ct));
        Assert.Equal([_theirAd, _myAd], (await _store.QueryTopAdsAsync(AnalyticsTenant.All, new TopAdsQuery(T0, T0.AddHours(1), 100, null, null), Ct)).Select(a => a.AdId));
    }

    [Fact]
    public void DuckDbSql_EveryAdvertiserQuery_FiltersByTheTenant_AndAllNever()
    {
        var queries = AggregateQueryCatalog.All().ToList();

        Assert.All(queries, q =>
        {
            var (sql, parameters) = DuckDbSqlRenderer.Render(q.Query);
            if (q.Query.Tenant.AdvertiserId is { } tenant)
            {
                Assert.Contains("advertiser_id = $tenantId", sql, StringComparison.Ordinal);
                Assert.Equal(tenant, Assert.Single(parameters, p => p.ParameterName == "tenantId").Value);
            }
            else
            {
                Assert.DoesNotContain("tenantId", sql, StringComparison.Ordinal);
            }
        });
    }
}
