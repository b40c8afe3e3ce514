using System.Net;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>GET /api/campaigns/{id}/ads, paged as the campaign listing: page, pageSize, status, total.</summary>
public sealed class AdListingTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_MoreAdsThanAPage_EachOnceAcrossPagesWithTheTotal()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await ApiScenario.CreateCampaignAsync(advertiser);
        var ids = new List<Guid>();
        for (var i = 0; i < 120; i++)
        {
            ids.Add(await ApiScenario.CreateAdAsync(advertiser, campaignId));
        }

        for (var i = 0; i < ids.Count; i += 4)
        {
            await advertiser.PostAsync($"/api/ads/{ids[i]}/pause", null, Cancel);
        }

        var first = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/campaigns/{campaignId}/ads", Cancel));
        var all = await ReadAllAsync(advertiser, campaignId, "pageSize=25");
        var paused = await ReadAllAsync(advertiser, campaignId, "status=paused&pageSize=7");
        var active = await ReadAllAsync(advertiser, campaignId, "status=active&pageSize=100");

        Assert.Equal(50, first.GetProperty("items").GetArrayLength());
        Assert.Equal(50, first.GetProperty("pageSize").GetInt32());
        Assert.Equal(1, first.GetProperty("page").GetInt32());
        Assert.Equal(ids, all.Ids);
        Assert.All(all.Totals, total => Assert.Equal(120, total));
        Assert.Equal(ids.Where((_, i) => i % 4 == 0), paused.Ids);
        Assert.All(paused.Totals, total => Assert.Equal(30, total));
        Assert.Equal(ids.Where((_, i) => i % 4 != 0), active.Ids);
        Assert.All(active.Totals, total => Assert.Equal(90, total));
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-3", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("status=gone", "status")]
    [InlineData("status=1", "status")]
    public async Task List_BadPageOrStatus_400ProblemNamingTheParameter(string query, string parameter)
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await ApiScenario.CreateCampaignAsync(advertiser);

        var response = await advertiser.GetAsync($"/api/campaigns/{campaignId}/ads?{query}", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True((await ApiScenario.JsonAsync(response)).GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task List_OtherAdvertisersCampaign_404AndTheAdminSeesIt()
    {
        var (_, owner) = await Scenario.CreateAdvertiserAsync();
        var (_, other) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await ApiScenario.CreateCampaignAsync(owner);
        var adId = await ApiScenario.CreateAdAsync(owner, campaignId);

        var refused = await other.GetAsync($"/api/campaigns/{campaignId}/ads?page=1&pageSize=10", Cancel);
        var admin = await ApiScenario.JsonAsync(await Scenario.Admin.GetAsync($"/api/campaigns/{campaignId}/ads", Cancel));

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(adId, Assert.Single(admin.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(1, admin.GetProperty("total").GetInt64());
    }

    private static async Task<(List<Guid> Ids, List<long> Totals)> ReadAllAsync(HttpClient advertiser, Guid campaignId, string query)
    {
        var (ids, totals) = (new List<Guid>(), new List<long>());
        for (var page = 1; ; page++)
        {
            var body = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/campaigns/{campaignId}/ads?{query}&page={page}", Cancel));
            totals.Add(body.GetProperty("total").GetInt64());
            var items = body.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()).ToList();
            if (items.Count == 0)
            {
                return (ids, totals);
            }

            ids.AddRange(items);
        }
    }
}
