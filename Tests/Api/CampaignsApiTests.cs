using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Orleans.AdClicks.Tests.Api;

public sealed class CampaignsApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateAdvertiser_Admin_201WithKeyThatWorks()
    {
        var (id, advertiser) = await Scenario.CreateAdvertiserAsync();

        var list = await advertiser.GetAsync("/api/campaigns", Cancel);

        Assert.NotEqual(Guid.Empty, id);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task CreateAdvertiser_AdvertiserKey_403()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();

        var response = await advertiser.PostAsJsonAsync("/api/advertisers", new { name = "Sneaky" }, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("ak_0123456789abcdef0123456789abcdef_notTheRealSecretxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public async Task Api_MissingOrWrongKey_401Problem(string? key)
    {
        using var client = fixture.Factory.CreateClient(key);

        var response = await client.GetAsync("/api/campaigns", Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task CreateCampaign_Advertiser_201WithLocationAndOwner()
    {
        var (advertiserId, advertiser) = await Scenario.CreateAdvertiserAsync();

        var response = await advertiser.PostAsJsonAsync("/api/campaigns", new { name = "Spring" }, Cancel);
        var body = await ApiScenario.JsonAsync(response);
        var get = await advertiser.GetAsync(response.Headers.Location, Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(advertiserId, body.GetProperty("advertiserId").GetGuid());
        Assert.Equal("Spring", body.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task CreateCampaign_AdminWithoutAdvertiser_400NamesField()
    {
        var response = await Scenario.Admin.PostAsJsonAsync("/api/campaigns", new { name = "Orphan" }, Cancel);

        var body = await ApiScenario.JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty("advertiserId", out _));
    }

    [Fact]
    public async Task CreateCampaign_AdminForAdvertiser_OwnedByThatAdvertiser()
    {
        var (advertiserId, advertiser) = await Scenario.CreateAdvertiserAsync();

        var response = await Scenario.Admin.PostAsJsonAsync("/api/campaigns", new { name = "Managed", advertiserId }, Cancel);
        var campaignId = (await ApiScenario.JsonAsync(response)).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await advertiser.GetAsync($"/api/campaigns/{campaignId}", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("{", "body")]
    [InlineData("{\"name\": 12}", "name")]
    [InlineData("{\"name\": \"\"}", "name")]
    [InlineData("{\"name\": \"   \"}", "name")]
    [InlineData("{}", "name")]
    [InlineData("{\"name\": \"ok\", \"unknown\": 1}", "unknown")]
    public async Task CreateCampaign_InvalidBody_400ProblemNamingField(string json, string field)
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();

        var response = await advertiser.PostAsync("/api/campaigns", new StringContent(json, Encoding.UTF8, "application/json"), Cancel);

        var body = await ApiScenario.JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task CreateCampaign_OversizedBody_Refused()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var json = $"{{\"name\": \"{new string('x', 100_000)}\"}}";

        var response = await advertiser.PostAsync("/api/campaigns", new StringContent(json, Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Campaigns_OtherAdvertiser_404AndNotListed()
    {
        var (_, owner) = await Scenario.CreateAdvertiserAsync();
        var (_, other) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await ApiScenario.CreateCampaignAsync(owner);
        var adId = await ApiScenario.CreateAdAsync(owner, campaignId);

        var list = await ApiScenario.JsonAsync(await other.GetAsync("/api/campaigns", Cancel));

        Assert.Empty(list.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/campaigns/{campaignId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/campaigns/{campaignId}/ads", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/campaigns/{campaignId}/ads", new { name = "x", targetUrl = "https://x.example/" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/ads/{adId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/ads/{adId}/impressions", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/analytics/ads/{adId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/analytics/campaigns/{campaignId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Scenario.Admin.GetAsync($"/api/ads/{adId}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task CreateAd_ThenGetAndList_ReturnsIt()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await ApiScenario.CreateCampaignAsync(advertiser);

        var adId = await ApiScenario.CreateAdAsync(advertiser, campaignId, "http://shop.example/a");
        var ad = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/ads/{adId}", Cancel));
        var list = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/campaigns/{campaignId}/ads", Cancel));

        Assert.Equal(campaignId, ad.GetProperty("campaignId").GetGuid());
        Assert.Equal("http://shop.example/a", ad.GetProperty("targetUrl").GetString());
        Assert.Equal(adId, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData("/relative/path")]
    [InlineData("ftp://files.example/x")]
    [InlineData("javascript:alert(1)")]
    [InlineData("not a url")]
    [InlineData("")]
    public async Task CreateAd_TargetUrlNotAbsoluteHttp_400NamesField(string targetUrl)
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await ApiScenario.CreateCampaignAsync(advertiser);

        var response = await advertiser.PostAsJsonAsync($"/api/campaigns/{campaignId}/ads", new { name = "Banner", targetUrl }, Cancel);

        var body = await ApiScenario.JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty("targetUrl", out _));
    }

    [Fact]
    public async Task Ads_UnknownAd_404()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await advertiser.GetAsync($"/api/ads/{Guid.NewGuid()}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await advertiser.PostAsync($"/api/ads/{Guid.NewGuid()}/impressions", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await advertiser.GetAsync($"/api/campaigns/{Guid.NewGuid()}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task CreateImpression_OwnAd_TokenAndBeaconUrls()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();

        var response = await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, Cancel);

        var body = await ApiScenario.JsonAsync(response);
        var token = body.GetProperty("token").GetString();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/c/{token}", body.GetProperty("clickUrl").GetString());
        Assert.Equal($"/v/{token}", body.GetProperty("viewUrl").GetString());
        Assert.NotEqual(Guid.Empty, body.GetProperty("impressionId").GetGuid());
    }

    [Fact]
    public async Task CreateImpressionBatch_Count_ThatManyDistinctTokensThatCount()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();

        var response = await advertiser.PostAsync($"/api/ads/{adId}/impressions/batch?count=3", null, Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var items = (await ApiScenario.JsonAsync(response)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal(3, items.Select(i => i.GetProperty("impressionId").GetGuid()).Distinct().Count());
        Assert.All(items, i => Assert.Equal($"/c/{i.GetProperty("token").GetString()}", i.GetProperty("clickUrl").GetString()));
        foreach (var item in items)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await Scenario.ClickAsync(item.GetProperty("token").GetString()!)).StatusCode);
        }

        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (3, 0));
    }

    [Theory]
    [InlineData("?count=0")]
    [InlineData("?count=1001")]
    [InlineData("?count=-1")]
    [InlineData("")]
    public async Task CreateImpressionBatch_CountOutOfRange_400NamesCount(string query)
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();

        var response = await advertiser.PostAsync($"/api/ads/{adId}/impressions/batch{query}", null, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True((await ApiScenario.JsonAsync(response)).GetProperty("errors").TryGetProperty("count", out _));
    }

    [Fact]
    public async Task CreateImpressionBatch_CountNotANumber_400Problem()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();

        var response = await advertiser.PostAsync($"/api/ads/{adId}/impressions/batch?count=many", null, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task CreateImpressionBatch_OthersOrUnknownAd_404()
    {
        var (_, _, adId) = await Scenario.CreateAdWithOwnerAsync();
        var (_, other) = await Scenario.CreateAdvertiserAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/ads/{adId}/impressions/batch?count=2", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/ads/{Guid.NewGuid()}/impressions/batch?count=2", null, Cancel)).StatusCode);
    }
}
