using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.AzureStorage;

/// <summary>Two silos on Azure queue streams and Table Storage; one dies hard in the middle of the load.</summary>
[Trait("Category", "Azurite")]
public sealed class SiloFailoverTests : IAsyncLifetime
{
    private const int AdCount = 10;
    private const int Originals = 18_000;
    private const int Duplicates = 2_000;

    private readonly TempDirectory _data = new();
    private Azurite _azurite = null!;
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        _cluster = await AdClicksTestCluster.DeployAsync(new Dictionary<string, string?>
        {
            ["AdClicks:DataDirectory"] = _data.Path,
            ["ConnectionStrings:AzureStorage"] = _azurite.ConnectionString,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _azurite.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Silo_KilledHardMidLoad_EveryEventCountedOnceAndNeverOver()
    {
        var ads = await _cluster.Client.CreateAdsAsync(AdCount);

        var now = DateTimeOffset.UtcNow;
        var originals = Enumerable.Range(0, Originals).Select(i => NewEvent(ads[i % AdCount], i, now)).ToList();
        var duplicates = originals.Where((_, i) => i % (Originals / Duplicates) == 0).Select(e => e with { Timestamp = now }).ToList();
        var load = originals.Concat(duplicates).OrderBy(e => e.ImpressionId).ToList();
        var truth = ads.ToDictionary(ad => ad.Id, ad => originals.Where(e => e.AdId == ad.Id).ToList());

        await _cluster.Client.PublishAsync(load[..(load.Count / 2)]);
        await _cluster.KillSiloAsync(_cluster.Silos[^1], TestContext.Current.CancellationToken);
        await _cluster.Client.PublishAsync(load[(load.Count / 2)..]);

        foreach (var ad in ads)
        {
            var expected = truth[ad.Id].Count;
            await Eventually.MatchesAsync(
                () => TotalAsync(ad.Id, now),
                total => total == expected,
                TimeSpan.FromSeconds(120),
                total => Assert.True(total <= expected, $"over-count for ad {ad.Id}: {total} > {expected}"));
        }
    }

    private static AdEvent NewEvent(AdInfo ad, int i, DateTimeOffset now) => new(
        AdEventKind.Click,
        Guid.NewGuid(), ad.Id, ad.CampaignId, now.AddSeconds(-(i % 300)), now.AddHours(-1), now.AddHours(23), true, "test", "10.0.0.0");


    private async Task<long> TotalAsync(Guid adId, DateTimeOffset now)
    {
        var series = await _cluster.Client.GetGrain<IAnalyticsGrain>(0)
            .QuerySeriesAsync(AnalyticsTenant.All, SeriesScope.Ad(adId), now.AddHours(-1), now.AddMinutes(5), Granularity.Hour);
        return series.Sum(b => b.Clicks);
    }
}
