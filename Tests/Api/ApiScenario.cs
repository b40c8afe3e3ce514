using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>The steps of the README walkthrough, for tests to compose.</summary>
public sealed class ApiScenario(AdClicksApiFactory factory)
{
    public HttpClient Anonymous { get; } = factory.CreateClient(apiKey: null);

    public HttpClient Admin { get; } = factory.CreateClient(factory.AdminKey);

    /// <summary>A new advertiser and a client that sends its key.</summary>
    public async Task<(Guid Id, HttpClient Client)> CreateAdvertiserAsync(string name = "Acme")
    {
        var (id, apiKey) = await CreateAdvertiserKeyAsync(name);
        return (id, factory.CreateClient(apiKey));
    }

    /// <summary>A new advertiser and its API key.</summary>
    public async Task<(Guid Id, string ApiKey)> CreateAdvertiserKeyAsync(string name = "Acme")
    {
        var response = await Admin.PostAsJsonAsync("/api/advertisers", new { name }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await JsonAsync(response);
        return (body.GetProperty("id").GetGuid(), body.GetProperty("apiKey").GetString()!);
    }

    public static async Task<Guid> CreateCampaignAsync(HttpClient advertiser, string name = "Winter sale")
    {
        var response = await advertiser.PostAsJsonAsync("/api/campaigns", new { name }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetGuid();
    }

    public static async Task<Guid> CreateAdAsync(HttpClient advertiser, Guid campaignId, string targetUrl = "https://example.com/landing?x=1")
    {
        var response = await advertiser.PostAsJsonAsync($"/api/campaigns/{campaignId}/ads", new { name = "Banner", targetUrl }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetGuid();
    }

    /// <summary>Places the ad once and returns its token.</summary>
    public static async Task<string> CreateImpressionAsync(HttpClient advertiser, Guid adId)
    {
        var response = await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("token").GetString()!;
    }

    /// <summary>A new advertiser with one campaign and one ad.</summary>
    public async Task<(HttpClient Advertiser, Guid CampaignId, Guid AdId)> CreateAdWithOwnerAsync()
    {
        var (_, advertiser) = await CreateAdvertiserAsync();
        var campaignId = await CreateCampaignAsync(advertiser);
        return (advertiser, campaignId, await CreateAdAsync(advertiser, campaignId));
    }

    public Task<HttpResponseMessage> ClickAsync(string token) => Anonymous.GetAsync($"/c/{token}", TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> ViewAsync(string token) => Anonymous.GetAsync($"/v/{token}", TestContext.Current.CancellationToken);

    /// <summary>Marker views sent to each ad by <see cref="WaitForTotalsAsync"/>; the totals here leave them out.</summary>
    private static readonly ConcurrentDictionary<Guid, int> MarkerViews = new();

    /// <summary>How many marker views <see cref="WaitForTotalsAsync"/> added to the ad's impressions, for analytics read directly.</summary>
    public static int MarkerViewsOf(Guid adId) => MarkerViews.GetValueOrDefault(adId);

    /// <summary>The ad's totals over the last day and the next hour, without the marker views.</summary>
    public static async Task<(long Clicks, long Impressions)> TotalsAsync(HttpClient client, Guid adId)
    {
        var from = DateTimeOffset.UtcNow.AddDays(-1).ToString("O");
        var to = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        var response = await client.GetAsync($"/api/analytics/ads/{adId}?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&granularity=hour", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var totals = (await JsonAsync(response)).GetProperty("totals");
        return (totals.GetProperty("clicks").GetInt64(), totals.GetProperty("impressions").GetInt64() - MarkerViewsOf(adId));
    }

    /// <summary>
    /// Waits until the ad's totals are exactly <paramref name="expected"/>, fails if they ever exceed them, then drains
    /// the pipeline and checks again: a marker view sent now travels the ad's stream behind everything sent before, so
    /// once it is counted, a double count of anything earlier (a late replay) has landed too and shows as an over-count.
    /// </summary>
    public static async Task<(long Clicks, long Impressions)> WaitForTotalsAsync(HttpClient client, Guid adId, (long Clicks, long Impressions) expected)
    {
        await WaitForExactlyAsync(client, adId, expected);
        if (await MarkerTokenAsync(client, adId) is not { } marker)
        {
            return expected;
        }

        MarkerViews.AddOrUpdate(adId, 1, (_, views) => views + 1);
        var view = await client.GetAsync($"/v/{marker}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, view.StatusCode);
        return await WaitForExactlyAsync(client, adId, expected);
    }

    private static Task<(long Clicks, long Impressions)> WaitForExactlyAsync(HttpClient client, Guid adId, (long Clicks, long Impressions) expected) =>
        Eventually.MatchesAsync(
            () => TotalsAsync(client, adId),
            totals => totals == expected,
            eachSample: totals => Assert.True(totals.Clicks <= expected.Clicks && totals.Impressions <= expected.Impressions, $"over-count: {totals}"));

    /// <summary>
    /// A fresh token of the ad, signed with the key of the Api the client talks to (so paused ads and spent budgets
    /// get one too), or placed through the Api when that key is unknown here; null when neither can be had.
    /// </summary>
    private static async Task<string?> MarkerTokenAsync(HttpClient client, Guid adId)
    {
        if (client.BaseAddress is { } address && AdClicksApiFactory.SigningKeyOf(address) is { } key)
        {
            var ad = await JsonAsync(await client.GetAsync($"/api/ads/{adId}", TestContext.Current.CancellationToken));
            return new ClickTokenMinter(key, TimeSpan.FromHours(1)).Mint(adId, ad.GetProperty("campaignId").GetGuid()).Text;
        }

        var placed = await client.PostAsync($"/api/ads/{adId}/impressions", null, TestContext.Current.CancellationToken);
        return placed.StatusCode == HttpStatusCode.Created ? (await JsonAsync(placed)).GetProperty("token").GetString() : null;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
}
