using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>GET /api/analytics/top-ads: its sorts, the admin's advertiser filter, the ads' and campaigns' names, asOf.</summary>
public sealed class TopAdsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TopAds_EachSort_RankedByItWithNamesAndAsOf()
    {
        var (advertiserId, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await ApiScenario.CreateCampaignAsync(advertiser, "Spring sale");
        // Clicks rank them X, Y, Z; impressions Z, X, Y; CTR Y, X, Z (each gets one more impression: the marker view).
        var x = await CreateAdAsync(advertiser, campaignId, "X");
        var y = await CreateAdAsync(advertiser, campaignId, "Y");
        var z = await CreateAdAsync(advertiser, campaignId, "Z");
        await SendAsync(advertiser, x, views: 4, clicks: 2);
        await SendAsync(advertiser, y, views: 1, clicks: 1);
        await SendAsync(advertiser, z, views: 6, clicks: 0);
        await ApiScenario.WaitForTotalsAsync(advertiser, x, (2, 4));
        await ApiScenario.WaitForTotalsAsync(advertiser, y, (1, 1));
        await ApiScenario.WaitForTotalsAsync(advertiser, z, (0, 6));
        var before = DateTimeOffset.UtcNow;

        var byDefault = await TopAsync(advertiser, "");
        var byClicks = await TopAsync(advertiser, "&sort=clicks");
        var byImpressions = await TopAsync(advertiser, "&sort=impressions");
        var byCtr = await TopAsync(advertiser, "&sort=CTR");

        Assert.Equal([x, y, z], Ids(byDefault));
        Assert.Equal([x, y, z], Ids(byClicks));
        Assert.Equal([z, x, y], Ids(byImpressions));
        Assert.Equal([y, x, z], Ids(byCtr));
        var items = byCtr.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["Y", "X", "Z"], items.Select(i => i.GetProperty("adName").GetString()));
        Assert.All(items, i => Assert.Equal("Spring sale", i.GetProperty("campaignName").GetString()));
        Assert.All(items, i => Assert.Equal(campaignId, i.GetProperty("campaignId").GetGuid()));
        Assert.Equal(Math.Round(1.0 / (1 + ApiScenario.MarkerViewsOf(y)), 6), items[0].GetProperty("ctr").GetDouble());
        Assert.InRange(byCtr.GetProperty("asOf").GetDateTimeOffset(), before, DateTimeOffset.UtcNow);
        Assert.Equal([x, y, z], Ids(await TopAsync(Scenario.Admin, $"&advertiserId={advertiserId}")));
    }

    [Fact]
    public async Task TopAds_AdminWithAdvertiserId_OnlyThatAdvertisersAds_AdvertiserMayPassItsOwn()
    {
        var (advertiserId, advertiser) = await Scenario.CreateAdvertiserAsync();
        var ad = await ApiScenario.CreateAdAsync(advertiser, await ApiScenario.CreateCampaignAsync(advertiser));
        var (otherClient, _, otherAd) = await Scenario.CreateAdWithOwnerAsync();
        await SendAsync(advertiser, ad, views: 0, clicks: 1);
        await SendAsync(otherClient, otherAd, views: 0, clicks: 5);
        await ApiScenario.WaitForTotalsAsync(advertiser, ad, (1, 0));
        await ApiScenario.WaitForTotalsAsync(otherClient, otherAd, (5, 0));

        var admin = await TopAsync(Scenario.Admin, $"&advertiserId={advertiserId}");
        var own = await TopAsync(advertiser, $"&advertiserId={advertiserId}");
        var everyone = await TopAsync(Scenario.Admin, "");

        Assert.Equal([ad], Ids(admin));
        Assert.Equal([ad], Ids(own));
        Assert.Contains(otherAd, Ids(everyone));
    }

    [Fact]
    public async Task TopAds_AnotherAdvertisersOrUnknownAdvertiserId_404EvenWithBadQuery()
    {
        var (advertiserId, _) = await Scenario.CreateAdvertiserAsync();
        var (_, other) = await Scenario.CreateAdvertiserAsync();

        var foreign = await other.GetAsync($"/api/analytics/top-ads?advertiserId={advertiserId}", Cancel);
        var foreignBadSort = await other.GetAsync($"/api/analytics/top-ads?advertiserId={advertiserId}&sort=name", Cancel);
        var unknown = await Scenario.Admin.GetAsync($"/api/analytics/top-ads?advertiserId={Guid.NewGuid()}", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignBadSort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("sort=name", "sort")]
    [InlineData("sort=1", "sort")]
    [InlineData("advertiserId=acme", "advertiserId")]
    public async Task TopAds_BadSortOrAdvertiserId_400NamesIt(string query, string field)
    {
        var response = await Scenario.Admin.GetAsync($"/api/analytics/top-ads?{query}", Cancel);

        var body = await ApiScenario.JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task TopAds_CountsOfAnAdThatNoLongerExists_ListedWithNullNames()
    {
        var (advertiserId, advertiser) = await Scenario.CreateAdvertiserAsync();
        var gone = Guid.NewGuid();
        var minute = new DateTimeOffset(DateTimeOffset.UtcNow.Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        await fixture.Factory.Services.GetRequiredService<IMinuteCountWriter>()
            .WriteAsync([new MinuteCountRow(gone, 0, Guid.NewGuid(), advertiserId, minute.AddMinutes(-5), 7, 70, 1)], Cancel);

        var response = await advertiser.GetAsync("/api/analytics/top-ads", Cancel);

        var item = Assert.Single((await ApiScenario.JsonAsync(response)).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(gone, item.GetProperty("adId").GetGuid());
        Assert.Equal(7, item.GetProperty("clicks").GetInt64());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("adName").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("campaignName").ValueKind);
    }

    private static IEnumerable<Guid> Ids(JsonElement top) => top.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("adId").GetGuid());

    private static async Task<JsonElement> TopAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/analytics/top-ads?limit=100{query}", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ApiScenario.JsonAsync(response);
    }

    private static async Task<Guid> CreateAdAsync(HttpClient advertiser, Guid campaignId, string name)
    {
        var response = await advertiser.PostAsJsonAsync($"/api/campaigns/{campaignId}/ads", new { name, targetUrl = "https://example.com/" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ApiScenario.JsonAsync(response)).GetProperty("id").GetGuid();
    }

    /// <summary>Places the ad once per view or click: the first <paramref name="views"/> tokens are viewed, the first <paramref name="clicks"/> clicked.</summary>
    private async Task SendAsync(HttpClient advertiser, Guid adId, int views, int clicks)
    {
        for (var i = 0; i < Math.Max(views, clicks); i++)
        {
            var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);
            if (i < views)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await Scenario.ViewAsync(token)).StatusCode);
            }

            if (i < clicks)
            {
                Assert.Equal(HttpStatusCode.Redirect, (await Scenario.ClickAsync(token)).StatusCode);
            }
        }
    }
}
