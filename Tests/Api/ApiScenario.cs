using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.AdClicks.Tests.Infrastructure;

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

    /// <summary>The ad's totals over the last day and the next hour.</summary>
    public static async Task<(long Clicks, long Impressions)> TotalsAsync(HttpClient client, Guid adId)
    {
        var from = DateTimeOffset.UtcNow.AddDays(-1).ToString("O");
        var to = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        var response = await client.GetAsync($"/api/analytics/ads/{adId}?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&granularity=hour", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var totals = (await JsonAsync(response)).GetProperty("totals");
        return (totals.GetProperty("clicks").GetInt64(), totals.GetProperty("impressions").GetInt64());
    }

    /// <summary>Waits until the ad's totals are exactly <paramref name="expected"/>; fails if they ever exceed them.</summary>
    public static Task<(long Clicks, long Impressions)> WaitForTotalsAsync(HttpClient client, Guid adId, (long Clicks, long Impressions) expected) =>
        Eventually.MatchesAsync(
            () => TotalsAsync(client, adId),
            totals => totals == expected,
            eachSample: totals => Assert.True(totals.Clicks <= expected.Clicks && totals.Impressions <= expected.Impressions, $"over-count: {totals}"));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
}
