using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Tests.Tokens;

/// <summary>The encoder an ad server inside the trust boundary mints with, against the real Api.</summary>
public sealed class ClickTokenMinterTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public void Mint_FreshImpressionIdsSignedWithTheKeyForTheLifetime()
    {
        var key = new SigningKey("ads-1", RandomNumberGenerator.GetBytes(32));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero));
        var minter = new ClickTokenMinter(key, TimeSpan.FromHours(6), time);
        var (adId, campaignId) = (Guid.NewGuid(), Guid.NewGuid());

        var (first, firstText) = minter.Mint(adId, campaignId);
        var (second, _) = minter.Mint(adId, campaignId);

        Assert.Equal(TokenVerdict.Valid, ClickTokenCodec.TryDecode(firstText, new SigningKeyRing([key]), out var decoded));
        Assert.Equal(first, decoded);
        Assert.Equal((adId, campaignId, "ads-1"), (first.AdId, first.CampaignId, first.KeyId));
        Assert.Equal(time.GetUtcNow(), first.IssuedAt);
        Assert.Equal(time.GetUtcNow().AddHours(6), first.ExpiresAt);
        Assert.NotEqual(first.ImpressionId, second.ImpressionId);
    }

    [Fact]
    public void Create_NonPositiveLifetime_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClickTokenMinter(AdClicksApiFactory.TestSigningKey, TimeSpan.Zero));

    [Fact]
    public async Task Click_TokenMintedOutsideTheApiWithTheSharedKey_RedirectsAndCounts()
    {
        var (advertiser, campaignId, adId) = await fixture.Scenario.CreateAdWithOwnerAsync();
        var minter = new ClickTokenMinter(AdClicksApiFactory.TestSigningKey, TimeSpan.FromDays(1));
        var (_, token) = minter.Mint(adId, campaignId);

        var click = await fixture.Scenario.ClickAsync(token);
        var view = await fixture.Scenario.ViewAsync(token);

        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal("https://example.com/landing?x=1", click.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.NoContent, view.StatusCode);
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 1));
    }
}
