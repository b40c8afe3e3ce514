using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>Impressions and clicks sent as browsers do (the beacons), and the analytics API's answers the page is compared to.</summary>
public static class AdTraffic
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Places the ad <paramref name="impressions"/> times, views each placement and clicks the first <paramref name="clicks"/>.</summary>
    public static async Task SendAsync(HttpClient advertiser, HttpClient anonymous, Guid adId, int impressions, int clicks)
    {
        var placed = await advertiser.PostAsync($"/api/ads/{adId}/impressions/batch?count={impressions}", null, Cancel);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var tokens = (await ApiScenario.JsonAsync(placed)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("token").GetString()!).ToList();
        foreach (var (token, index) in tokens.Select((t, i) => (t, i)))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await anonymous.GetAsync($"/v/{token}", Cancel)).StatusCode);
            if (index < clicks)
            {
                Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/c/{token}", Cancel)).StatusCode);
            }
        }
    }

    /// <summary><see cref="SendAsync"/>, then <see cref="WaitForAdAsync"/> for the ad's first traffic.</summary>
    public static async Task SendCountedAsync(HttpClient advertiser, HttpClient anonymous, Guid adId, int impressions, int clicks)
    {
        await SendAsync(advertiser, anonymous, adId, impressions, clicks);
        await WaitForAdAsync(advertiser, adId, clicks, impressions);
    }

    /// <summary>Waits until the analytics API counts exactly these totals for the ad (over the last day).</summary>
    public static Task WaitForAdAsync(HttpClient advertiser, Guid adId, long clicks, long impressions) =>
        Eventually.MatchesAsync(() => ApiScenario.TotalsAsync(advertiser, adId), totals => totals == (clicks, impressions));

    /// <summary>GET on the analytics API as the page asks it (from, to, granularity, compare=previous).</summary>
    public static async Task<JsonElement> AnalyticsAsync(HttpClient client, string path, DateTimeOffset from, DateTimeOffset to, string granularity)
    {
        var query = $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}&granularity={granularity}&compare=previous";
        var response = await client.GetAsync($"{path}?{query}", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }
}
