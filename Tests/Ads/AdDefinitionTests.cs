using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Ads;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Lists;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Ads;

/// <summary>An ad's definition lives apart from its counting: reading it starts no counting grain.</summary>
public sealed class AdDefinitionTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await AdClicksTestCluster.DeployAsync(
            new Dictionary<string, string?> { ["AdClicks:DataDirectory"] = _data.Path }, silos: 1,
            configureSilo: silo => CountingRawClickStore.Decorate(silo.Services));
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task ReadListAndTargetLookup_OfAnAd_ActivateNoCountingGrainAndReadNoRawClicks()
    {
        var ads = await _cluster.Client.CreateAdsAsync(3);
        var campaign = _cluster.Client.GetGrain<ICampaignGrain>(ads[0].CampaignId);
        using var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var targets = new AdTargets(_cluster.Client, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new BeaconOptions()), metrics.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

        var read = await _cluster.Client.GetGrain<IAdDefinitionGrain>(ads[0].Id).GetAsync();
        var listed = await _cluster.Client.GetGrain<IIdListGrain>(IdLists.AdsOf(campaign.GetPrimaryKey())).ListAsync(0, 10);
        var target = await targets.GetTargetUrlAsync(ads[1].Id);
        var changed = await _cluster.Client.GetGrain<IAdDefinitionGrain>(ads[2].Id).SetStatusAsync(AdStatus.Paused);

        Assert.Equal(ads[0], read);
        Assert.Equal(ads.Select(a => a.Id), listed.Ids);
        Assert.Equal("https://example.com/", target);
        Assert.Equal(ChangeOutcome.Changed, changed.Outcome);
        var counting = await _cluster.Client.GetGrain<IManagementGrain>(0).GetActiveGrains(GrainType.Create("adcounting"), TestContext.Current.CancellationToken);
        Assert.Empty(counting);
        Assert.Equal(0, _cluster.Silos[0].ServiceProvider.GetRequiredService<CountingRawClickStore>().Counts);
    }

    [Fact]
    public async Task Get_ADefinitionStoredByTheCountingGrainBeforeTheSplit_StillReads()
    {
        var adId = Guid.NewGuid();
        var storage = _cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(Constants.GrainStore);
        var stored = new AdGrainState
        {
            CampaignId = Guid.NewGuid(), AdvertiserId = Guid.NewGuid(), Name = "stored before", TargetUrl = "https://example.com/old",
            CreatedAt = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), Status = AdStatus.Paused,
        };

        // Where shard 0 of the counting grain (grain type "ad", key "adId" in "N" form) kept its "ad" state.
        await storage.WriteStateAsync("ad", GrainId.Create("ad", adId.ToString("N")), new GrainState<AdGrainState>(stored));
        var ad = await _cluster.Client.GetGrain<IAdDefinitionGrain>(adId).GetAsync();

        Assert.Equal(new AdInfo(adId, stored.CampaignId, stored.AdvertiserId, "stored before", "https://example.com/old", stored.CreatedAt, AdStatus.Paused), ad);
    }
}
