using System.Net;
using System.Net.Http.Json;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>GET /api/advertisers (admin, paged) and GET /api/campaigns?advertiserId= (the admin's filter to one advertiser).</summary>
public sealed class AdvertiserListingTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListAdvertisers_Admin_EveryAdvertiserOnceOldestFirstPagedWithTotal()
    {
        var created = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await Scenario.CreateAdvertiserAsync($"Listed {i}")).Id);
        }

        var listed = new List<(Guid Id, string Name)>();
        long total;
        var page = 1;
        do
        {
            var response = await Scenario.Admin.GetAsync($"/api/advertisers?page={page++}&pageSize=2", Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await ApiScenario.JsonAsync(response);
            total = body.GetProperty("total").GetInt64();
            var items = body.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(2, body.GetProperty("pageSize").GetInt32());
            Assert.True(items.Count <= 2);
            Assert.All(items, i => Assert.True(i.TryGetProperty("createdAt", out _)));
            listed.AddRange(items.Select(i => (i.GetProperty("id").GetGuid(), i.GetProperty("name").GetString()!)));
        }
        while (listed.Count < total && page < 100);

        Assert.Equal(total, listed.Count);
        Assert.Equal(listed.Count, listed.Select(a => a.Id).Distinct().Count());
        Assert.Equal(created, listed.Select(a => a.Id).Where(created.Contains));
        Assert.Equal(["Listed 0", "Listed 1", "Listed 2"], listed.Where(a => created.Contains(a.Id)).Select(a => a.Name));
    }

    [Fact]
    public async Task ListAdvertisers_AdvertiserKey_403Problem()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();

        var response = await advertiser.GetAsync("/api/advertisers", Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    public async Task ListAdvertisers_BadPage_400NamesField(string query, string field)
    {
        var response = await Scenario.Admin.GetAsync($"/api/advertisers?{query}", Cancel);

        var body = await ApiScenario.JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task ListCampaigns_AdminWithAdvertiserId_OnlyThatAdvertisersCampaigns()
    {
        var (id, advertiser) = await Scenario.CreateAdvertiserAsync();
        var (_, other) = await Scenario.CreateAdvertiserAsync();
        var campaigns = new[] { await ApiScenario.CreateCampaignAsync(advertiser, "One"), await ApiScenario.CreateCampaignAsync(advertiser, "Two") };
        await ApiScenario.CreateCampaignAsync(other, "Not theirs");

        var admin = await ApiScenario.JsonAsync(await Scenario.Admin.GetAsync($"/api/campaigns?advertiserId={id}", Cancel));
        var own = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/campaigns?advertiserId={id}", Cancel));

        Assert.Equal(campaigns, admin.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
        Assert.Equal(2, admin.GetProperty("total").GetInt64());
        Assert.All(admin.GetProperty("items").EnumerateArray(), c => Assert.Equal(id, c.GetProperty("advertiserId").GetGuid()));
        Assert.Equal(campaigns, own.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task ListCampaigns_AnotherAdvertisersIdOrUnknownId_404()
    {
        var (id, _) = await Scenario.CreateAdvertiserAsync();
        var (_, other) = await Scenario.CreateAdvertiserAsync();

        var foreign = await other.GetAsync($"/api/campaigns?advertiserId={id}", Cancel);
        var unknown = await Scenario.Admin.GetAsync($"/api/campaigns?advertiserId={Guid.NewGuid()}", Cancel);
        // Not found comes before validation: a bad page size on another's id still answers 404.
        var foreignBadPage = await other.GetAsync($"/api/campaigns?advertiserId={id}&pageSize=0", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignBadPage.StatusCode);
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ListCampaigns_MalformedAdvertiserId_400NamesIt()
    {
        var response = await Scenario.Admin.GetAsync("/api/campaigns?advertiserId=acme", Cancel);

        var body = await ApiScenario.JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty("advertiserId", out _), body.ToString());
    }

    [Fact]
    public async Task ListCampaigns_NoAdvertiserId_AsBefore()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaign = await ApiScenario.CreateCampaignAsync(advertiser);

        var own = await advertiser.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/campaigns", Cancel);

        Assert.Equal([campaign], own.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
    }
}
