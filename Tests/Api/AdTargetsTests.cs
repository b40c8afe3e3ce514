using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>The beacons' target cache over a real Api: bounded by configuration, hot ads kept, hits and misses measured.</summary>
public sealed class AdTargetsTests : IAsyncLifetime
{
    private const int CacheSize = 100;

    private readonly TempDirectory _data = new();
    private AdClicksApiFactory _api = null!;

    public ValueTask InitializeAsync()
    {
        _api = new AdClicksApiFactory(_data.Path, settings: new Dictionary<string, string>
        {
            ["AdClicks:Beacons:TargetCacheSize"] = CacheSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task GetTargetUrl_ManyMoreAdsThanTheCacheHolds_StaysBoundedAndKeepsTheHotAd()
    {
        var (_, _, hotAd) = await new ApiScenario(_api).CreateAdWithOwnerAsync();
        var targets = _api.Services.GetRequiredService<AdTargets>();
        using var metrics = new MeasurementRecorder(AdTargets.MeterName, [_api.Services.GetRequiredService<IMeterFactory>()]);
        const int coldAds = 5 * CacheSize;

        Assert.Equal("https://example.com/landing?x=1", await targets.GetTargetUrlAsync(hotAd));
        for (var i = 0; i < coldAds; i++)
        {
            // Ads that do not exist are cached too (as unknown), each looked up once: a scan through the cache.
            Assert.Null(await targets.GetTargetUrlAsync(Guid.NewGuid()));
            if (i % 10 == 0)
            {
                Assert.Equal("https://example.com/landing?x=1", await targets.GetTargetUrlAsync(hotAd));
            }

            Assert.InRange(targets.Count, 1, CacheSize);
        }

        var hitsBefore = metrics.Sum("adclicks.beacons.target_cache.hits");
        Assert.Equal("https://example.com/landing?x=1", await targets.GetTargetUrlAsync(hotAd));

        Assert.Equal(hitsBefore + 1, metrics.Sum("adclicks.beacons.target_cache.hits"));
        Assert.Equal(coldAds / 10, hitsBefore);
        Assert.Equal(1 + coldAds, metrics.Sum("adclicks.beacons.target_cache.misses"));
    }
}
