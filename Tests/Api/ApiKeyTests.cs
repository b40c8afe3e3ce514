using System.Net;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>Rotating and revoking advertisers' API keys.</summary>
public sealed class ApiKeyTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rotate_OwnKey_NewKeyWorksAndOldKeyStops()
    {
        var (id, oldKey) = await Scenario.CreateAdvertiserKeyAsync();
        using var old = fixture.Factory.CreateClient(oldKey);

        var rotated = await old.PostAsync($"/api/advertisers/{id}/api-key", null, Cancel);
        var newKey = (await ApiScenario.JsonAsync(rotated)).GetProperty("apiKey").GetString();
        using var fresh = fixture.Factory.CreateClient(newKey);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/campaigns", Cancel)).StatusCode);
        await Eventually.MatchesAsync(async () => (await old.GetAsync("/api/campaigns", Cancel)).StatusCode, s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Revoke_ByAdmin_NoKeyWorksUntilRotated()
    {
        var (id, key) = await Scenario.CreateAdvertiserKeyAsync();
        using var advertiser = fixture.Factory.CreateClient(key);

        var revoked = await Scenario.Admin.DeleteAsync($"/api/advertisers/{id}/api-key", Cancel);
        await Eventually.MatchesAsync(async () => (await advertiser.GetAsync("/api/campaigns", Cancel)).StatusCode, s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(15));
        var reissued = await Scenario.Admin.PostAsync($"/api/advertisers/{id}/api-key", null, Cancel);
        using var again = fixture.Factory.CreateClient((await ApiScenario.JsonAsync(reissued)).GetProperty("apiKey").GetString());

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/campaigns", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Keys_OtherAdvertiser_404AndUnchanged()
    {
        var (_, mine) = await Scenario.CreateAdvertiserAsync();
        var (otherId, otherKey) = await Scenario.CreateAdvertiserKeyAsync();
        using var other = fixture.Factory.CreateClient(otherKey);

        Assert.Equal(HttpStatusCode.NotFound, (await mine.PostAsync($"/api/advertisers/{otherId}/api-key", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mine.DeleteAsync($"/api/advertisers/{otherId}/api-key", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mine.GetAsync($"/api/advertisers/{otherId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/advertisers/{otherId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Scenario.Admin.GetAsync($"/api/advertisers/{otherId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/campaigns", Cancel)).StatusCode);
    }
}
