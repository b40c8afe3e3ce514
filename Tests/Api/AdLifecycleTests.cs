using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>Updating, pausing and archiving ads, and what beacons and placement make of it.</summary>
public sealed class AdLifecycleTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Update_TargetUrl_BeaconRedirectsToTheNewTarget()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();
        var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);
        Assert.Equal("https://example.com/landing?x=1", (await Scenario.ClickAsync(token)).Headers.Location!.OriginalString);

        var update = await advertiser.PutAsJsonAsync($"/api/ads/{adId}",
            new { name = "Banner 2", targetUrl = "https://example.org/new", creative = new { title = "New", imageUrl = "https://cdn.example.org/a.png" } }, Cancel);

        var body = await ApiScenario.JsonAsync(update);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("New", body.GetProperty("creative").GetProperty("title").GetString());
        await Eventually.MatchesAsync(
            async () => (await Scenario.ClickAsync(token)).Headers.Location!.OriginalString,
            location => location == "https://example.org/new",
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Pause_Ad_RefusesPlacementButPlacedTokensStillCount()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();
        var placed = await ApiScenario.CreateImpressionAsync(advertiser, adId);

        var paused = await advertiser.PostAsync($"/api/ads/{adId}/pause", null, Cancel);
        var refused = await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, Cancel);
        var click = await Scenario.ClickAsync(placed);

        Assert.Equal("paused", (await ApiScenario.JsonAsync(paused)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("paused", (await ApiScenario.JsonAsync(refused)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 0));
        // The wait drained the pipeline with a marker view, minted for the paused ad with the Api's key.
        Assert.Equal(1, ApiScenario.MarkerViewsOf(adId));
        Assert.Equal(HttpStatusCode.OK, (await advertiser.PostAsync($"/api/ads/{adId}/resume", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, Cancel)).StatusCode);
    }

    [Fact]
    public async Task Pause_Ad_RefusesBatchPlacementSayingWhy()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();
        await advertiser.PostAsync($"/api/ads/{adId}/pause", null, Cancel);

        var response = await advertiser.PostAsync($"/api/ads/{adId}/impressions/batch?count=10", null, Cancel);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("paused", (await ApiScenario.JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Delete_Ad_ArchivesAndRefusesChanges()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();

        var archived = await advertiser.DeleteAsync($"/api/ads/{adId}", Cancel);
        var update = await advertiser.PutAsJsonAsync($"/api/ads/{adId}", new { name = "x", targetUrl = "https://example.com/" }, Cancel);
        var resume = await advertiser.PostAsync($"/api/ads/{adId}/resume", null, Cancel);
        var get = await advertiser.GetAsync($"/api/ads/{adId}", Cancel);

        Assert.Equal("archived", (await ApiScenario.JsonAsync(archived)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, update.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, resume.StatusCode);
        Assert.Equal("archived", (await ApiScenario.JsonAsync(get)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("ftp://cdn.example.org/a.png", "creative.imageUrl")]
    [InlineData("relative.png", "creative.imageUrl")]
    public async Task Update_BadCreative_400NamesField(string imageUrl, string field)
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();

        var response = await advertiser.PutAsJsonAsync($"/api/ads/{adId}", new { name = "x", targetUrl = "https://example.com/", creative = new { imageUrl } }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiScenario.JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Update_WhatGetReturnedWithNewName_200()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();
        var body = JsonNode.Parse(await (await advertiser.GetAsync($"/api/ads/{adId}", Cancel)).Content.ReadAsStringAsync(Cancel))!.AsObject();
        body["name"] = "Skyscraper";

        var put = await advertiser.PutAsJsonAsync($"/api/ads/{adId}", body, Cancel);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var updated = await ApiScenario.JsonAsync(put);
        Assert.Equal("Skyscraper", updated.GetProperty("name").GetString());
        Assert.Equal("https://example.com/landing?x=1", updated.GetProperty("targetUrl").GetString());
    }

    [Theory]
    [InlineData("id", "read-only")]
    [InlineData("campaignId", "read-only")]
    [InlineData("status", "read-only")]
    [InlineData("colour", "unknown field")]
    public async Task Update_ChangedReadOnlyOrUnknownField_400NamesFieldAndWhy(string field, string why)
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();
        var body = JsonNode.Parse(await (await advertiser.GetAsync($"/api/ads/{adId}", Cancel)).Content.ReadAsStringAsync(Cancel))!.AsObject();
        body["name"] = "Changed";
        body[field] = field == "status" ? "paused" : field == "colour" ? "red" : Guid.NewGuid().ToString();

        var put = await advertiser.PutAsJsonAsync($"/api/ads/{adId}", body, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var errors = (await ApiScenario.JsonAsync(put)).GetProperty("errors");
        Assert.Contains(why, errors.GetProperty(field)[0].GetString());
        Assert.Equal("Banner", (await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/ads/{adId}", Cancel))).GetProperty("name").GetString());
    }

    [Fact]
    public async Task AdLifecycle_OtherAdvertisersAd_404()
    {
        var (owner, _, adId) = await Scenario.CreateAdWithOwnerAsync();
        var (_, other) = await Scenario.CreateAdvertiserAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/ads/{adId}", new { name = "x", targetUrl = "https://evil.example/" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/ads/{adId}/pause", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/ads/{adId}/resume", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/ads/{adId}", Cancel)).StatusCode);
        var ad = await ApiScenario.JsonAsync(await owner.GetAsync($"/api/ads/{adId}", Cancel));
        Assert.Equal("active", ad.GetProperty("status").GetString());
        Assert.Equal("https://example.com/landing?x=1", ad.GetProperty("targetUrl").GetString());
    }
}
