using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Tests.Api;

public sealed class BeaconsApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    [Fact]
    public async Task Click_ValidToken_RedirectsToTargetUrl()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();
        var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);

        var response = await Scenario.ClickAsync(token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("https://example.com/landing?x=1", response.Headers.Location!.OriginalString);
        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task Click_WithAnApiKeyHeader_TheKeyIsNeverChecked()
    {
        using var data = new TempDirectory();
        var calls = new GrainCallRecorder();
        await using var api = new AdClicksApiFactory(data.Path, services: s => s.AddSingleton<IIncomingGrainCallFilter>(calls)).Start();
        var scenario = new ApiScenario(api);
        var (advertiser, _, adId) = await scenario.CreateAdWithOwnerAsync();
        var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);
        // Authentic by its MAC, so checking it would ask its advertiser's grain.
        var unusedKey = api.Services.GetRequiredService<ApiKeys>().Create(Guid.NewGuid());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/c/{token}") { Headers = { { ApiKeyAuthenticationHandler.HeaderName, unusedKey } } };

        var keyChecks = calls.CallsTo<IAdvertiserGrain>(nameof(IAdvertiserGrain.VerifyApiKeyAsync));

        var response = await scenario.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);

        // A beacon is anonymous: a key it carries names no caller, and checking one costs a grain call.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(keyChecks, calls.CallsTo<IAdvertiserGrain>(nameof(IAdvertiserGrain.VerifyApiKeyAsync)));
    }

    [Fact]
    public async Task ClickAndView_RepeatedManyTimes_CountedOnce()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();
        var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await Scenario.ViewAsync(token)).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await Scenario.ClickAsync(token)).StatusCode);
        }

        // A later click on the same ad travels the same stream: once it is counted, so are the repeats before it.
        var marker = await ApiScenario.CreateImpressionAsync(advertiser, adId);
        await Scenario.ClickAsync(marker);
        var totals = await ApiScenario.WaitForTotalsAsync(advertiser, adId, (2, 1));
        Assert.Equal((2L, 1L), totals);
    }

    [Fact]
    public async Task Click_ConcurrentRepeats_CountedOnce()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();
        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ApiScenario.CreateImpressionAsync(advertiser, adId)));

        var responses = await Task.WhenAll(tokens.SelectMany(t => Enumerable.Repeat(t, 5)).Select(Scenario.ClickAsync));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (20, 0));
    }

    [Fact]
    public async Task Click_ExpiredButAuthenticToken_RedirectsAndIsNotCounted()
    {
        var (advertiser, campaignId, adId) = await Scenario.CreateAdWithOwnerAsync();
        var issued = DateTimeOffset.UtcNow.AddDays(-2);
        var expired = ClickTokenCodec.Encode(
            new ClickToken(AdClicksApiFactory.TestSigningKey.Id, Guid.NewGuid(), adId, campaignId, issued, issued.AddDays(1)),
            AdClicksApiFactory.TestSigningKey);

        var response = await Scenario.ClickAsync(expired);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await Scenario.ClickAsync(await ApiScenario.CreateImpressionAsync(advertiser, adId));
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 0));
    }

    public static TheoryData<string> BadTokens() =>
    [
        "",
        "x",
        "not-a-token",
        "a.b.c",
        "AQID.BAUG",
        new string('A', 1000),
    ];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task ClickAndView_MalformedToken_400Problem(string token)
    {
        var click = await Scenario.Anonymous.GetAsync($"/c/{Uri.EscapeDataString(token)}x", TestContext.Current.CancellationToken);
        var view = await Scenario.Anonymous.GetAsync($"/v/{Uri.EscapeDataString(token)}x", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, click.StatusCode);
        Assert.Equal("application/problem+json", click.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, view.StatusCode);
    }

    [Fact]
    public async Task Click_ForgedOrTamperedToken_400AndNotCounted()
    {
        var (advertiser, campaignId, adId) = await Scenario.CreateAdWithOwnerAsync();
        var now = DateTimeOffset.UtcNow;
        var otherKey = new SigningKey(AdClicksApiFactory.TestSigningKey.Id, new byte[32]);
        var forged = ClickTokenCodec.Encode(new ClickToken(otherKey.Id, Guid.NewGuid(), adId, campaignId, now, now.AddDays(1)), otherKey);
        var genuine = await ApiScenario.CreateImpressionAsync(advertiser, adId);
        var tampered = genuine[..10] + (genuine[10] == 'A' ? 'B' : 'A') + genuine[11..];

        Assert.Equal(HttpStatusCode.BadRequest, (await Scenario.ClickAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Scenario.ClickAsync(tampered)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Scenario.ViewAsync(forged)).StatusCode);

        await Scenario.ClickAsync(genuine);
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 0));
    }

    [Fact]
    public async Task Click_AuthenticTokenOfUnknownAd_404Problem()
    {
        var now = DateTimeOffset.UtcNow;
        var token = ClickTokenCodec.Encode(
            new ClickToken(AdClicksApiFactory.TestSigningKey.Id, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), now, now.AddDays(1)),
            AdClicksApiFactory.TestSigningKey);

        var response = await Scenario.ClickAsync(token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_RunningApi_200(string path)
    {
        var response = await Scenario.Anonymous.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
