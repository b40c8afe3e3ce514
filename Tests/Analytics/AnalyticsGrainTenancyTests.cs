using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Analytics;

/// <summary>The tenant crosses the AnalyticsGrain call (client mode's path to the store) and still filters there.</summary>
public sealed class AnalyticsGrainTenancyTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _data = new();
    private readonly Guid _mine = Guid.NewGuid();
    private readonly Guid _theirs = Guid.NewGuid();
    private readonly Guid _myAd = Guid.NewGuid();
    private readonly Guid _theirAd = Guid.NewGuid();
    private readonly Guid _theirCampaign = Guid.NewGuid();
    private InProcessTestCluster _cluster = null!;

    private IAnalyticsGrain Analytics => _cluster.Client.GetGrain<IAnalyticsGrain>(0);

    public async ValueTask InitializeAsync()
    {
        _cluster = await AdClicksTestCluster.DeployAsync(new Dictionary<string, string?> { ["AdClicks:DataDirectory"] = _data.Path }, silos: 1);
        await _cluster.Silos[0].ServiceProvider.GetRequiredService<IMinuteCountWriter>().WriteAsync(
        [
            new MinuteCountRow(_myAd, 0, Guid.NewGuid(), _mine, T0, 1, 10, 1),
            new MinuteCountRow(_theirAd, 0, _theirCampaign, _theirs, T0, 50, 500, 1),
        ], TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Series_AnotherAdvertisersAdThroughTheGrain_NoRows_ItsOwnerSeesThem()
    {
        Assert.Empty(await Analytics.QuerySeriesAsync(AnalyticsTenant.Advertiser(_mine), SeriesScope.Ad(_theirAd), T0, T0.AddHours(1), Granularity.Hour));
        Assert.Equal([new BucketCount(T0, 50, 500)], await Analytics.QuerySeriesAsync(AnalyticsTenant.Advertiser(_theirs), SeriesScope.Ad(_theirAd), T0, T0.AddHours(1), Granularity.Hour));
    }

    [Fact]
    public async Task AdvertiserSeries_ThroughTheGrain_SumsItsAdsForTheAdminAndNothingForAnother()
    {
        Assert.Equal([new BucketCount(T0, 50, 500)], await Analytics.QuerySeriesAsync(AnalyticsTenant.All, SeriesScope.Advertiser(_theirs), T0, T0.AddHours(1), Granularity.Hour));
        Assert.Empty(await Analytics.QuerySeriesAsync(AnalyticsTenant.Advertiser(_mine), SeriesScope.Advertiser(_theirs), T0, T0.AddHours(1), Granularity.Hour));
    }

    [Fact]
    public async Task TopAds_SortThroughTheGrain_RankedByIt()
    {
        var advertiser = Guid.NewGuid();
        var (clicky, sharp) = (Guid.NewGuid(), Guid.NewGuid());
        await _cluster.Silos[0].ServiceProvider.GetRequiredService<IMinuteCountWriter>().WriteAsync(
        [
            new MinuteCountRow(clicky, 0, Guid.NewGuid(), advertiser, T0, 3, 30, 1),
            new MinuteCountRow(sharp, 0, Guid.NewGuid(), advertiser, T0, 2, 4, 1),
        ], TestContext.Current.CancellationToken);

        async Task<IEnumerable<Guid>> TopAsync(TopAdsSort sort) =>
            (await Analytics.QueryTopAdsAsync(AnalyticsTenant.Advertiser(advertiser), new TopAdsQuery(T0, T0.AddHours(1), 10, null, null, sort))).Select(a => a.AdId);

        Assert.Equal([clicky, sharp], await TopAsync(TopAdsSort.Clicks));
        Assert.Equal([clicky, sharp], await TopAsync(TopAdsSort.Impressions));
        Assert.Equal([sharp, clicky], await TopAsync(TopAdsSort.Ctr));
    }

    [Fact]
    public async Task TopAds_AnotherAdvertisersCampaignThroughTheGrain_NoRows()
    {
        Assert.Empty(await Analytics.QueryTopAdsAsync(AnalyticsTenant.Advertiser(_mine), new TopAdsQuery(T0, T0.AddHours(1), 10, _theirCampaign, null)));
        Assert.Equal([_myAd], (await Analytics.QueryTopAdsAsync(AnalyticsTenant.Advertiser(_mine), new TopAdsQuery(T0, T0.AddHours(1), 10, null, null))).Select(a => a.AdId));
    }
}
