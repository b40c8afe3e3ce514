using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Streaming;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Tests.Api;

public sealed class HotAdsTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public void HotAd_AboveItsShare_SpreadOverThePowerOfTwoItsRateNeeds()
    {
        using var hotAds = Create(eventsPerShard: 100);
        var (hot, cold) = (Guid.NewGuid(), Guid.NewGuid());

        Send(hotAds, hot, 550);
        Send(hotAds, cold, 99);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(0, hotAds.KeyFor(hot, Guid.NewGuid()).Shard));
        _time.Advance(Window);

        // 600 a second needs 6 shards of 100: the next power of two.
        Assert.Equal(8, hotAds.Shards[hot]);
        Assert.False(hotAds.Shards.ContainsKey(cold));
        var shards = Enumerable.Range(0, 2_000).Select(_ => hotAds.KeyFor(hot, Guid.NewGuid()).Shard).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 8).ToHashSet(), shards);
        Assert.Equal(0, hotAds.KeyFor(cold, Guid.NewGuid()).Shard);
    }

    [Fact]
    public void HotAd_SameImpression_AlwaysTheSameShardWhileItsCountStands()
    {
        using var hotAds = Create(eventsPerShard: 100);
        var ad = Guid.NewGuid();
        Send(hotAds, ad, 1_000);
        _time.Advance(Window);

        var impression = Guid.NewGuid();
        var first = hotAds.KeyFor(ad, impression);

        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(first, hotAds.KeyFor(ad, impression)));
    }

    [Fact]
    public void HotAd_Cooling_HalvesItsShardsOncePerCoolDownBackToOne()
    {
        using var hotAds = Create(eventsPerShard: 100, coolDown: TimeSpan.FromSeconds(10));
        var ad = Guid.NewGuid();
        Send(hotAds, ad, 750);
        _time.Advance(Window);
        Assert.Equal(8, hotAds.Shards[ad]);

        // 150 a second needs 2 shards: it gives half back after each cool-down, not before.
        var seen = new List<int>();
        for (var second = 0; second < 35; second++)
        {
            Send(hotAds, ad, 150);
            _time.Advance(Window);
            seen.Add(hotAds.Shards.GetValueOrDefault(ad, 1));
        }

        Assert.Equal(8, seen[8]);
        Assert.Equal(4, seen[10]);
        Assert.Equal(2, seen[20]);
        Assert.Equal(2, seen[^1]);

        for (var second = 0; second < 12; second++)
        {
            _time.Advance(Window);
        }

        Assert.False(hotAds.Shards.ContainsKey(ad));
        Assert.Equal(0, hotAds.KeyFor(ad, Guid.NewGuid()).Shard);
    }

    [Fact]
    public void HotAd_WarmAgainWhileCooling_KeepsItsShards()
    {
        using var hotAds = Create(eventsPerShard: 100, coolDown: TimeSpan.FromSeconds(5));
        var ad = Guid.NewGuid();
        Send(hotAds, ad, 350);
        _time.Advance(Window);
        Assert.Equal(4, hotAds.Shards[ad]);

        for (var second = 0; second < 20; second++)
        {
            // Cool for 3 seconds, then hot for one: never a whole cool-down in a row.
            Send(hotAds, ad, second % 4 == 3 ? 350 : 50);
            _time.Advance(Window);
            Assert.Equal(4, hotAds.Shards[ad]);
        }
    }

    [Fact]
    public void HotAds_SpreadingOff_EveryAdKeepsItsConfiguredShards()
    {
        using var hotAds = Create(eventsPerShard: 0, shardsPerAd: 2);
        var ad = Guid.NewGuid();
        Send(hotAds, ad, 10_000);
        _time.Advance(Window);

        Assert.Empty(hotAds.Shards);
        Assert.Equal([0, 1], Enumerable.Range(0, 500).Select(_ => hotAds.KeyFor(ad, Guid.NewGuid()).Shard).ToHashSet().Order());
    }

    [Fact]
    public void HotAds_ManyColdAds_NoneSpreadByCollisions()
    {
        using var hotAds = Create(eventsPerShard: 200);
        // 50,000 ads of 10 events a second each: 500,000 events in one window, over a sketch of 16,384 counters a row.
        var ads = Enumerable.Range(0, 50_000).Select(_ => Guid.NewGuid()).ToList();
        foreach (var ad in ads)
        {
            Send(hotAds, ad, 10);
        }

        _time.Advance(Window);

        Assert.Empty(hotAds.Shards);
    }

    [Fact]
    public async Task HotAd_ThroughTheApi_SpreadAndEveryRetriedClickStillCountedOnce()
    {
        using var data = new TempDirectory();
        await using var factory = new AdClicksApiFactory(data.Path, settings: new Dictionary<string, string>
        {
            ["AdClicks:ClickLog:HotAdEventsPerShardPerSecond"] = "20",
            ["AdClicks:ClickLog:MaxShardsPerAd"] = "8",
        }).Start();
        var scenario = new ApiScenario(factory);
        var (advertiser, campaignId, adId) = await scenario.CreateAdWithOwnerAsync();
        var minter = new ClickTokenMinter(AdClicksApiFactory.TestSigningKey, TimeSpan.FromHours(1));
        var tokens = Enumerable.Range(0, 800).Select(_ => minter.Mint(adId, campaignId).Text).ToList();
        var hotAds = factory.Services.GetRequiredService<HotAds>();

        // Half the clicks make the ad hot; the other half then spread over its shards; then every token again: a
        // retry after the ad's shard count changed may reach another shard than its original, and is refused there.
        await ClickAsync(scenario, tokens[..400]);
        var shards = await Eventually.MatchesAsync(() => Task.FromResult(hotAds.Shards.GetValueOrDefault(adId)), s => s > 1);
        await ClickAsync(scenario, tokens[400..]);
        await ClickAsync(scenario, tokens);

        Assert.InRange(shards, 2, 8);
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (tokens.Count, 0));
    }

    private static async Task ClickAsync(ApiScenario scenario, IEnumerable<string> tokens)
    {
        foreach (var token in tokens)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await scenario.ClickAsync(token)).StatusCode);
        }
    }

    private HotAds Create(int eventsPerShard, int shardsPerAd = 1, TimeSpan? coolDown = null) => new(
        new ClickLogOptions
        {
            ShardsPerAd = shardsPerAd,
            HotAdEventsPerShardPerSecond = eventsPerShard,
            MaxShardsPerAd = 16,
            HotAdCoolDown = coolDown ?? TimeSpan.FromMinutes(1),
        }.HotAdSettings(),
        _time,
        NullLogger<HotAds>.Instance);

    private static void Send(HotAds hotAds, Guid adId, int events)
    {
        for (var i = 0; i < events; i++)
        {
            hotAds.KeyFor(adId, Guid.NewGuid());
        }
    }
}
