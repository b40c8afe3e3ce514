using System.Net;
using System.Net.Http.Json;
using Orleans.AdClicks.Tests.Api;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>An advertiser made through the API for a browser test: its key, a client that sends it, and one ad per campaign.</summary>
public sealed record DashboardAdvertiser(Guid Id, string Name, string ApiKey, HttpClient Client, IReadOnlyList<DashboardCampaign> Campaigns)
{
    /// <summary>Creates the advertiser and, for each name, a campaign with one ad named after it.</summary>
    public static async Task<DashboardAdvertiser> CreateAsync(AdClicksApiFactory factory, ApiScenario scenario, string name, params string[] campaigns)
    {
        var (id, key) = await scenario.CreateAdvertiserKeyAsync(name);
        var client = factory.CreateClient(key);
        var created = new List<DashboardCampaign>();
        foreach (var campaign in campaigns)
        {
            var campaignId = await ApiScenario.CreateCampaignAsync(client, campaign);
            var ad = await client.PostAsJsonAsync($"/api/campaigns/{campaignId}/ads", new { name = $"{campaign} banner", targetUrl = "https://example.com/landing" }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Created, ad.StatusCode);
            created.Add(new DashboardCampaign(campaignId, campaign, (await ApiScenario.JsonAsync(ad)).GetProperty("id").GetGuid()));
        }

        return new DashboardAdvertiser(id, name, key, client, created);
    }
}
