using Microsoft.Extensions.Configuration;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.Runtime;
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
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AdClicks:DataDirectory"] = _data.Path,
                ["ConnectionStrings:AzureStorage"] = _azurite.ConnectionString,
            })
            .Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddAdClicks(configuration));
        builder.ConfigureClient(client => client.AddAdClicksClickStream(configuration));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
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
        var grains = _cluster.Client;
        var advertiser = Guid.NewGuid();
        await grains.GetGrain<IAdvertiserGrain>(advertiser).CreateAsync("advertiser", new byte[32]);
        var campaign = grains.GetGrain<ICampaignGrain>(Guid.NewGuid());
        await campaign.CreateAsync(advertiser, "campaign");
        var ads = new List<AdInfo>();
        for (var i = 0; i < AdCount; i++)
        {
            ads.Add(await campaign.CreateAdAsync($"ad {i}", "https://example.com/"));
        }

        var now = DateTimeOffset.UtcNow;
        var originals = Enumerable.Range(0, Originals).Select(i => NewEvent(ads[i % AdCount], i, now)).ToList();
        var duplicates = originals.Where((_, i) => i % (Originals / Duplicates) == 0).Select(e => e with { Timestamp = now }).ToList();
        var load = originals.Concat(duplicates).OrderBy(e => e.ImpressionId).ToList();
        var truth = ads.ToDictionary(ad => ad.Id, ad => originals.Where(e => e.AdId == ad.Id).ToList());

        await PublishAsync(load[..(load.Count / 2)]);
        await _cluster.KillSiloAsync(_cluster.Silos[^1], TestContext.Current.CancellationToken);
        await PublishAsync(load[(load.Count / 2)..]);

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

    private async Task PublishAsync(IReadOnlyList<AdEvent> events)
    {
        var provider = _cluster.Client.GetStreamProvider(Constants.StreamProvider);
        await Task.WhenAll(events.GroupBy(e => e.AdId).Select(async ad =>
        {
            var stream = provider.GetStream<AdEvent>(StreamId.Create(Constants.ClicksNamespace, new AdKey(ad.Key, 0).ToString()));
            foreach (var chunk in ad.Chunk(50))
            {
                await stream.OnNextBatchAsync(chunk);
            }
        }));
    }

    private async Task<long> TotalAsync(Guid adId, DateTimeOffset now)
    {
        var series = await _cluster.Client.GetGrain<IAnalyticsGrain>(0)
            .QuerySeriesAsync(SeriesScope.Ad(adId), now.AddHours(-1), now.AddMinutes(5), Granularity.Hour);
        return series.Sum(b => b.Clicks);
    }
}
