using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Api.Auth;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>Made-up API keys are refused before any grain or storage call, and leave nothing behind.</summary>
public sealed class ApiKeyFloodTests(ApiKeyFloodFixture fixture) : IClassFixture<ApiKeyFloodFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>
    /// Made-up keys of either shape, each with a random advertiser id and secret: half of the shape issued
    /// now (their MAC cannot verify), half of the former shape (which used to reach an advertiser grain).
    /// </summary>
    public static IEnumerable<string> RandomKeys(int count) => Enumerable.Range(0, count).Select(i => i % 2 == 0
        ? $"ak2_{Guid.NewGuid():N}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(48))}"
        : $"ak_{Guid.NewGuid():N}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}");

    [Fact]
    public async Task RandomKeys_NeverCallAnAdvertiserGrain_401()
    {
        var before = fixture.AdvertiserCalls.Count;

        var statuses = await SendAsync(RandomKeys(300));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(before, fixture.AdvertiserCalls.Count);
    }

    [Fact]
    public async Task ForgedKeysOfARealAdvertiser_NeverCallItsGrain_401()
    {
        var (id, key) = await Scenario.CreateAdvertiserKeyAsync();
        var otherService = new ApiKeys(RandomNumberGenerator.GetBytes(32));
        string[] forged =
        [
            key[..^1] + (key[^1] == 'A' ? 'B' : 'A'),
            key[..40] + (key[40] == 'A' ? 'B' : 'A') + key[41..],
            $"ak2_{id:N}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(48))}",
            otherService.Create(id),
            key.ToUpperInvariant(),
            key + "x",
        ];
        var before = fixture.AdvertiserCalls.Count;

        var statuses = await SendAsync(forged);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(before, fixture.AdvertiserCalls.Count);
    }

    [Fact]
    public async Task KeysOfTheFormerShape_RefusedWithoutGrainCallSayingToRotate()
    {
        var before = fixture.AdvertiserCalls.Count;
        var formerShape = Enumerable.Range(0, 100).Select(_ => $"ak_{Guid.NewGuid():N}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}").ToList();
        using var client = fixture.Factory.CreateClient(formerShape[0]);

        var statuses = await SendAsync(formerShape);
        var answer = await client.GetAsync("/api/campaigns", Cancel);
        var problem = await ApiScenario.JsonAsync(answer);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(before, fixture.AdvertiserCalls.Count);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType!.MediaType);
        Assert.Contains("POST /api/advertisers/{id}/api-key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RandomKeys_NeverReachTheNegativeCache()
    {
        var cache = fixture.Factory.Services.GetRequiredService<ApiKeyCache>();
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        Assert.Equal(HttpStatusCode.OK, (await advertiser.GetAsync("/api/campaigns", Cancel)).StatusCode);
        var before = cache.Count;

        await SendAsync(RandomKeys(1000));

        Assert.True(before >= 1, "the advertiser's verified key is cached");
        Assert.True(cache.Count <= before, $"{cache.Count} cached after the flood, {before} before");
    }

    [Fact]
    public async Task IssuedKey_VerifiedOnceThenCached()
    {
        var (_, key) = await Scenario.CreateAdvertiserKeyAsync();
        var before = fixture.AdvertiserCalls.Count;

        // A campaign that does not exist: the answer needs no advertiser grain, so every call counted is a key check.
        var statuses = await SendAsync(Enumerable.Repeat(key, 20), $"/api/campaigns/{Guid.NewGuid()}");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NotFound, s));
        // One verification, cached for 5 s; a second only if this machine took longer than that for 20 requests.
        Assert.InRange(fixture.AdvertiserCalls.Count - before, 1, 2);
    }

    private async Task<List<HttpStatusCode>> SendAsync(IEnumerable<string> keys, string path = "/api/campaigns")
    {
        using var client = fixture.Factory.CreateClient(apiKey: null);
        var statuses = new List<HttpStatusCode>();
        foreach (var key in keys)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, key);
            using var response = await client.SendAsync(request, Cancel);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
