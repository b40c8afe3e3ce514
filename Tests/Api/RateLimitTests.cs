using System.Net;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>
/// Each test spends a bucket no other test here touches (the beacons', or fresh advertisers'), so the
/// order they run in does not matter. The /api address limit is out of reach here: ApiAddressLimitTests.
/// </summary>
public sealed class RateLimitTests(RateLimitFixture fixture) : IClassFixture<RateLimitFixture>
{
    private const int Burst = 30;

    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Beacons_BurstFromOneClient_FirstServedThen429ProblemWithRetryAfter()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();
        var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);

        var responses = await SendAsync(Burst, i => i % 2 == 0 ? Scenario.ViewAsync(token) : Scenario.ClickAsync(token));

        Assert.All(responses.Take(RateLimitFixture.BeaconBurst), r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.NoContent, HttpStatusCode.Redirect }));
        await AssertRefusedAsync(responses.Skip(RateLimitFixture.BeaconBurst));
    }

    [Fact]
    public async Task Api_BurstWithOneKey_429WhileAnotherKeyStillServed()
    {
        var (_, greedy) = await Scenario.CreateAdvertiserAsync("Greedy");
        var (_, other) = await Scenario.CreateAdvertiserAsync("Other");

        var responses = await SendAsync(Burst, _ => greedy.GetAsync("/api/campaigns", Cancel));
        var otherResponse = await other.GetAsync("/api/campaigns", Cancel);

        Assert.All(responses.Take(RateLimitFixture.ApiBurst), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertRefusedAsync(responses.Skip(RateLimitFixture.ApiBurst));
        Assert.Equal(HttpStatusCode.OK, otherResponse.StatusCode);
    }

    [Fact]
    public async Task Api_KeyRotatedAfterLimitReached_NewKeyMeetsTheSameLimit()
    {
        var (id, key) = await Scenario.CreateAdvertiserKeyAsync("Rotating");
        using var advertiser = fixture.Factory.CreateClient(key);
        await AssertRefusedAsync(await SendAsync(Burst, _ => advertiser.GetAsync("/api/campaigns", Cancel)));

        var rotated = await Scenario.Admin.PostAsync($"/api/advertisers/{id}/api-key", null, Cancel);
        using var fresh = fixture.Factory.CreateClient((await ApiScenario.JsonAsync(rotated)).GetProperty("apiKey").GetString());
        var responses = await SendAsync(RateLimitFixture.ApiBurst, _ => fresh.GetAsync("/api/campaigns", Cancel));

        // The limit is the advertiser's, not the key's: a new key is no fresh bucket.
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        await AssertRefusedAsync(responses);
    }

    [Fact]
    public async Task HealthAndOpenApi_AfterLimitReached_NeverLimited()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync("Exhausted");
        await AssertRefusedAsync(await SendAsync(Burst, _ => advertiser.GetAsync("/api/campaigns", Cancel)));

        var health = await SendAsync(Burst, i => Scenario.Anonymous.GetAsync(i % 2 == 0 ? "/health/live" : "/health/ready", Cancel));
        var openApi = await SendAsync(RateLimitFixture.ApiBurst + 1, _ => Scenario.Anonymous.GetAsync("/openapi/v1.json", Cancel));
        var authenticatedHealth = await advertiser.GetAsync("/health/live", Cancel);

        Assert.All(health, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(openApi, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, authenticatedHealth.StatusCode);
    }

    /// <summary>Sends one request after the other, as fast as they answer.</summary>
    internal static async Task<List<HttpResponseMessage>> SendAsync(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        var responses = new List<HttpResponseMessage>(count);
        for (var i = 0; i < count; i++)
        {
            responses.Add(await send(i));
        }

        return responses;
    }

    /// <summary>
    /// At least one refusal, each 429 problem+json with a Retry-After in whole seconds. Not all of
    /// them: a bucket refills a permit a second while the burst is sent.
    /// </summary>
    internal static async Task AssertRefusedAsync(IEnumerable<HttpResponseMessage> responses)
    {
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        foreach (var response in refused)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {response.Headers.RetryAfter}");
            Assert.Equal(429, (await ApiScenario.JsonAsync(response)).GetProperty("status").GetInt32());
        }
    }
}
