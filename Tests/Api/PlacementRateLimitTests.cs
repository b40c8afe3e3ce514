using System.Net;
using Orleans.AdClicks.Api.Ads;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>Placement's own limit: per token minted, per advertiser, apart from the other /api calls.</summary>
public sealed class PlacementRateLimitTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private AdClicksApiFactory _factory = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        // A bucket of one full batch that refills one token a second: the second call in a row meets the limit.
        _factory = new AdClicksApiFactory(_data.Path, settings: new Dictionary<string, string>
        {
            ["AdClicks:RateLimits:PlacementPermitsPerSecond"] = "1",
            ["AdClicks:RateLimits:PlacementBurst"] = AdsApi.MaxImpressionBatch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Placement_BurstOfTokensSpent_429ForThatAdvertiserOnly()
    {
        var scenario = new ApiScenario(_factory);
        var (advertiser, campaignId, adId) = await scenario.CreateAdWithOwnerAsync();
        var (other, _, otherAd) = await scenario.CreateAdWithOwnerAsync();

        var batch = await advertiser.PostAsync($"/api/ads/{adId}/impressions/batch?count={AdsApi.MaxImpressionBatch}", null, Cancel);
        var single = await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, Cancel);
        var otherCall = await advertiser.GetAsync($"/api/campaigns/{campaignId}", Cancel);
        var otherAdvertiser = await other.PostAsync($"/api/ads/{otherAd}/impressions/batch?count=5", null, Cancel);

        Assert.Equal(HttpStatusCode.Created, batch.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, single.StatusCode);
        Assert.Equal("application/problem+json", single.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(single.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, otherCall.StatusCode);
        Assert.Equal(HttpStatusCode.Created, otherAdvertiser.StatusCode);
    }

    [Fact]
    public async Task Placement_BatchLargerThanWhatIsLeft_429AndNothingMinted()
    {
        var scenario = new ApiScenario(_factory);
        var (advertiser, _, adId) = await scenario.CreateAdWithOwnerAsync();
        Assert.Equal(HttpStatusCode.Created, (await advertiser.PostAsync($"/api/ads/{adId}/impressions/batch?count={AdsApi.MaxImpressionBatch - 10}", null, Cancel)).StatusCode);

        var tooMany = await advertiser.PostAsync($"/api/ads/{adId}/impressions/batch?count=100", null, Cancel);

        Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.StatusCode);
    }
}
