using System.Diagnostics;
using System.Globalization;
using System.Net;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>
/// Every /api request counts against its client address before its key is checked. Each test runs its
/// own Api, since all of them spend the one loopback address's bucket.
/// </summary>
public sealed class ApiAddressLimitTests
{
    private const int AddressBurst = 40;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Api_ThousandRandomKeysFromOneAddress_LimitedByTheAddress()
    {
        using var data = new TempDirectory();
        await using var api = Start(data);
        var scenario = new ApiScenario(api);
        var clock = Stopwatch.StartNew();

        var responses = await RateLimitTests.SendAsync(1000, i => Send(scenario.Anonymous, ApiKeyFloodTests.RandomKeys(1).Single()));
        var elapsed = clock.Elapsed;

        var served = responses.Where(r => r.StatusCode != HttpStatusCode.TooManyRequests).ToList();
        Assert.All(served, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        // The burst, plus one permit a second while the flood lasts (and one for the second it started in).
        Assert.InRange(served.Count, AddressBurst, AddressBurst + (int)Math.Ceiling(elapsed.TotalSeconds) + 1);
        await RateLimitTests.AssertRefusedAsync(responses);
    }

    [Fact]
    public async Task Api_BurstWithoutKey_LimitedByClientAddress()
    {
        using var data = new TempDirectory();
        await using var api = Start(data);
        var scenario = new ApiScenario(api);

        var responses = await RateLimitTests.SendAsync(AddressBurst + 20, _ => scenario.Anonymous.GetAsync("/api/campaigns", Cancel));

        Assert.All(responses.Take(AddressBurst), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        await RateLimitTests.AssertRefusedAsync(responses.Skip(AddressBurst));
    }

    private static AdClicksApiFactory Start(TempDirectory data) => new AdClicksApiFactory(data.Path, settings: new Dictionary<string, string>
    {
        ["AdClicks:RateLimits:ApiAddressPermitsPerSecond"] = "1",
        ["AdClicks:RateLimits:ApiAddressBurst"] = AddressBurst.ToString(CultureInfo.InvariantCulture),
    }).Start();

    private static Task<HttpResponseMessage> Send(HttpClient client, string apiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/campaigns");
        request.Headers.Add(Orleans.AdClicks.Api.Auth.ApiKeyAuthenticationHandler.HeaderName, apiKey);
        return client.SendAsync(request, Cancel);
    }
}
