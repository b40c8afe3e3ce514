using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Ads;

/// <summary>A counting grain's rows win over those it wrote before, whatever the clock of the silo it runs on says.</summary>
public sealed class AdCountingVersionTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await AdClicksTestCluster.DeployAsync(
            new Dictionary<string, string?> { ["AdClicks:DataDirectory"] = _data.Path }, silos: 2,
            configureSilo: silo => silo.Services.AddSingleton<TimeProvider>(new ShiftedClock()));
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Flush_AfterMovingToASiloAnHourBehind_NewerRowsWin()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        Clock(_cluster.Silos[0]).Offset = TimeSpan.FromHours(1);
        var minute = MinuteBucket.Of(Clock(_cluster.Silos[0]).GetUtcNow());
        await CountOnAsync(_cluster.Silos[0], ad, minute, clicks: 3, expected: 3);

        await MoveAsync(ad, _cluster.Silos[1]);

        await CountOnAsync(_cluster.Silos[1], ad, minute, clicks: 2, expected: 5);
    }

    [Fact]
    public async Task Flush_AfterReactivatingWithTheClockSetBack_NewerRowsWin()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var services = _cluster.Silos[0].ServiceProvider;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var minute = MinuteBucket.Of(now);
        var key = new AdKey(ad.Id, 0);

        // What an earlier activation of the shard left while this silo's clock was an hour ahead, before it was set back.
        await services.GetRequiredService<IRawClickStore>().AppendNewAsync(key, Clicks(ad, minute, 3), TestContext.Current.CancellationToken);
        await services.GetRequiredService<IMinuteCountWriter>().WriteAsync(
            [new MinuteCountRow(ad.Id, 0, ad.CampaignId, ad.AdvertiserId, minute, 3, 0, now.AddHours(1).UtcTicks)], TestContext.Current.CancellationToken);

        await CountOnAsync(_cluster.Silos[0], ad, minute, clicks: 2, expected: 5);
    }

    private static List<AdEvent> Clicks(AdInfo ad, DateTimeOffset minute, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new AdEvent(
            AdEventKind.Click, Guid.NewGuid(), ad.Id, ad.CampaignId, minute.AddSeconds(i), minute.AddHours(-1), minute.AddHours(20), true, null, null))];

    private static ShiftedClock Clock(InProcessSiloHandle silo) => (ShiftedClock)silo.ServiceProvider.GetRequiredService<TimeProvider>();

    private async Task<bool> ActivateOnAsync(InProcessSiloHandle silo, AdInfo ad)
    {
        var key = new AdKey(ad.Id, 0).ToString();
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo.SiloAddress);
        try
        {
            await _cluster.Client.GetGrain<IAdGrain>(key).RepairMinutesAsync([]);
        }
        finally
        {
            RequestContext.Clear();
        }

        var onSilo = await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(hostsIds: [silo.SiloAddress]);
        return onSilo.Any(g => g.GrainId == GrainId.Create("adcounting", key));
    }

    /// <summary>Moves the ad's counting grain to <paramref name="silo"/> as Orleans migrates grains: deactivated here, placed there.</summary>
    private async Task MoveAsync(AdInfo ad, InProcessSiloHandle silo)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo.SiloAddress);
        try
        {
            await _cluster.Client.GetGrain<IAdGrain>(new AdKey(ad.Id, 0).ToString()).AsReference<IGrainManagementExtension>().MigrateOnIdle();
        }
        finally
        {
            RequestContext.Clear();
        }

        await Eventually.MatchesAsync(() => ActivateOnAsync(silo, ad), placed => placed);
    }

    /// <summary>Activates the ad's counting grain on <paramref name="silo"/>, streams clicks to it and awaits the minute's count.</summary>
    private async Task CountOnAsync(InProcessSiloHandle silo, AdInfo ad, DateTimeOffset minute, int clicks, long expected)
    {
        Assert.True(await ActivateOnAsync(silo, ad), $"the counting grain of ad {ad.Id} is not on silo {silo.SiloAddress}");
        await _cluster.Client.PublishAsync(Clicks(ad, minute, clicks));
        var aggregates = silo.ServiceProvider.GetRequiredService<IAggregateQueries>();
        await Eventually.MatchesAsync(
            async () => (await aggregates.QuerySeriesAsync(SeriesScope.Ad(ad.Id), minute, minute.AddMinutes(1), Granularity.Minute)).Sum(b => b.Clicks),
            counted => counted == expected);
    }
}
