using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.Runtime;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>Status, schedule, optimistic concurrency and placement refusals of campaigns.</summary>
public sealed class CampaignLifecycleTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Impressions_DraftCampaign_409UntilResumed()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await CreateAsync(advertiser, new { name = "Later", status = "draft" });
        var adId = await ApiScenario.CreateAdAsync(advertiser, campaignId);

        var refused = await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, Cancel);
        var resumed = await advertiser.PostAsync($"/api/campaigns/{campaignId}/resume", null, Cancel);
        var placed = await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, Cancel);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Contains("draft", (await ApiScenario.JsonAsync(refused)).GetProperty("detail").GetString());
        Assert.Equal("active", (await ApiScenario.JsonAsync(resumed)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
    }

    [Fact]
    public async Task Pause_ActiveCampaign_RefusesPlacementAndResumeRestoresIt()
    {
        var (advertiser, campaignId, adId) = await Scenario.CreateAdWithOwnerAsync();

        var paused = await advertiser.PostAsync($"/api/campaigns/{campaignId}/pause", null, Cancel);
        var refused = await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, Cancel);
        await advertiser.PostAsync($"/api/campaigns/{campaignId}/resume", null, Cancel);
        var placed = await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, Cancel);

        Assert.Equal("paused", (await ApiScenario.JsonAsync(paused)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
    }

    [Fact]
    public async Task Delete_Campaign_ArchivesKeepsItAndRefusesChanges()
    {
        var (advertiser, campaignId, adId) = await Scenario.CreateAdWithOwnerAsync();

        var archived = await advertiser.DeleteAsync($"/api/campaigns/{campaignId}", Cancel);
        var get = await advertiser.GetAsync($"/api/campaigns/{campaignId}", Cancel);
        var resume = await advertiser.PostAsync($"/api/campaigns/{campaignId}/resume", null, Cancel);
        var update = await advertiser.PutAsJsonAsync($"/api/campaigns/{campaignId}", new { name = "Again" }, Cancel);
        var place = await advertiser.PostAsync($"/api/ads/{adId}/impressions", null, Cancel);

        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        Assert.Equal("archived", (await ApiScenario.JsonAsync(get)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await advertiser.GetAsync($"/api/ads/{adId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, resume.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, update.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, place.StatusCode);
    }

    [Fact]
    public async Task Update_StaleIfMatch_412AndCurrentIfMatch_200WithNewETag()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await CreateAsync(advertiser, new { name = "v1" });
        var etag = (await advertiser.GetAsync($"/api/campaigns/{campaignId}", Cancel)).Headers.ETag!;

        var first = await PutAsync(advertiser, campaignId, new { name = "v2", totalClickBudget = 1000 }, etag);
        var stale = await PutAsync(advertiser, campaignId, new { name = "v3" }, etag);
        var unconditional = await PutAsync(advertiser, campaignId, new { name = "v4" }, ifMatch: null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEqual(etag, first.Headers.ETag);
        Assert.Equal(1000, (await ApiScenario.JsonAsync(first)).GetProperty("totalClickBudget").GetInt64());
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType!.MediaType);
        Assert.Equal("v4", (await ApiScenario.JsonAsync(unconditional)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Impressions_OutsideSchedule_409SayingWhy()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var now = DateTimeOffset.UtcNow;
        var future = await CreateAsync(advertiser, new { name = "Future", startsAt = now.AddDays(1) });
        var past = await CreateAsync(advertiser, new { name = "Past", startsAt = now.AddDays(-2), endsAt = now.AddDays(-1) });
        var futureAd = await ApiScenario.CreateAdAsync(advertiser, future);
        var pastAd = await ApiScenario.CreateAdAsync(advertiser, past);

        var early = await advertiser.PostAsync($"/api/ads/{futureAd}/impressions", null, Cancel);
        var late = await advertiser.PostAsync($"/api/ads/{pastAd}/impressions", null, Cancel);

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("starts", (await ApiScenario.JsonAsync(early)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("ended", (await ApiScenario.JsonAsync(late)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"status\":\"paused\"}", "status")]
    [InlineData("{\"name\":\"x\",\"startsAt\":\"2026-12-02T00:00:00Z\",\"endsAt\":\"2026-12-01T00:00:00Z\"}", "endsAt")]
    [InlineData("{\"name\":\"x\",\"totalClickBudget\":0}", "totalClickBudget")]
    [InlineData("{\"name\":\"x\",\"dailyClickCap\":-5}", "dailyClickCap")]
    public async Task Create_InvalidLifecycleFields_400NamesField(string json, string field)
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();

        var response = await advertiser.PostAsync("/api/campaigns", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiScenario.JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task List_StatusFilterAndPaging_ReturnsThePage()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await CreateAsync(advertiser, new { name = $"c{i}" }));
        }

        await advertiser.PostAsync($"/api/campaigns/{ids[1]}/pause", null, Cancel);

        var paused = await ApiScenario.JsonAsync(await advertiser.GetAsync("/api/campaigns?status=paused", Cancel));
        var page = await ApiScenario.JsonAsync(await advertiser.GetAsync("/api/campaigns?pageSize=2&page=2", Cancel));
        var bad = await advertiser.GetAsync("/api/campaigns?status=gone&pageSize=0", Cancel);

        Assert.Equal(ids[1], Assert.Single(paused.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(ids[2], Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Update_WhatGetReturnedWithNewName_200()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await CreateAsync(advertiser, new { name = "v1", totalClickBudget = 500 });
        var get = await advertiser.GetAsync($"/api/campaigns/{campaignId}", Cancel);
        var body = JsonNode.Parse(await get.Content.ReadAsStringAsync(Cancel))!.AsObject();
        body["name"] = "v2";

        var put = await PutAsync(advertiser, campaignId, body, get.Headers.ETag);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var updated = await ApiScenario.JsonAsync(put);
        Assert.Equal("v2", updated.GetProperty("name").GetString());
        Assert.Equal(500, updated.GetProperty("totalClickBudget").GetInt64());
    }

    [Theory]
    [InlineData("id", "read-only")]
    [InlineData("advertiserId", "read-only")]
    [InlineData("status", "read-only")]
    [InlineData("colour", "unknown field")]
    public async Task Update_ChangedReadOnlyOrUnknownField_400NamesFieldAndWhy(string field, string why)
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await CreateAsync(advertiser, new { name = "v1" });
        var body = JsonNode.Parse(await (await advertiser.GetAsync($"/api/campaigns/{campaignId}", Cancel)).Content.ReadAsStringAsync(Cancel))!.AsObject();
        body[field] = field == "status" ? "paused" : field == "colour" ? "red" : Guid.NewGuid().ToString();

        var put = await PutAsync(advertiser, campaignId, body, ifMatch: null);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var errors = (await ApiScenario.JsonAsync(put)).GetProperty("errors");
        Assert.Contains(why, errors.GetProperty(field)[0].GetString());
        Assert.Equal("v1", (await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/campaigns/{campaignId}", Cancel))).GetProperty("name").GetString());
    }

    [Fact]
    public async Task List_ManyCampaignsPageByPage_EachOnceWithTheTotal()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 120; i++)
        {
            ids.Add(await CreateAsync(advertiser, new { name = $"c{i}" }));
        }

        for (var i = 0; i < ids.Count; i += 4)
        {
            await advertiser.PostAsync($"/api/campaigns/{ids[i]}/pause", null, Cancel);
        }

        var all = await ReadAllAsync(advertiser, "pageSize=25");
        var paused = await ReadAllAsync(advertiser, "status=paused&pageSize=7");

        Assert.Equal(ids, all.Ids);
        Assert.All(all.Totals, total => Assert.Equal(120, total));
        Assert.Equal(ids.Where((_, i) => i % 4 == 0), paused.Ids);
        Assert.All(paused.Totals, total => Assert.Equal(30, total));
    }

    [Fact]
    public async Task List_APage_ActivatesOnlyThatPagesCampaigns()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        for (var i = 0; i < 30; i++)
        {
            await CreateAsync(advertiser, new { name = $"c{i}" });
        }

        var management = fixture.Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        await Eventually.MatchesAsync(
            async () =>
            {
                await management.ForceActivationCollection(TimeSpan.Zero);
                return await CampaignActivationsAsync(management);
            },
            count => count == 0);

        var page = await ApiScenario.JsonAsync(await advertiser.GetAsync("/api/campaigns?page=2&pageSize=5", Cancel));
        var admin = await ApiScenario.JsonAsync(await Scenario.Admin.GetAsync("/api/campaigns?page=3&pageSize=4", Cancel));

        Assert.Equal(5, page.GetProperty("items").GetArrayLength());
        Assert.Equal(30, page.GetProperty("total").GetInt64());
        Assert.Equal(4, admin.GetProperty("items").GetArrayLength());
        Assert.InRange(await CampaignActivationsAsync(management), 1, 5 + 4);
    }

    private static async Task<int> CampaignActivationsAsync(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("CampaignGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);

    private static async Task<(List<Guid> Ids, List<long> Totals)> ReadAllAsync(HttpClient advertiser, string query)
    {
        var (ids, totals) = (new List<Guid>(), new List<long>());
        for (var page = 1; ; page++)
        {
            var body = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/campaigns?{query}&page={page}", Cancel));
            totals.Add(body.GetProperty("total").GetInt64());
            var items = body.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
            if (items.Count == 0)
            {
                return (ids, totals);
            }

            ids.AddRange(items);
        }
    }

    [Fact]
    public async Task Lifecycle_OtherAdvertisersCampaign_404()
    {
        var (_, owner) = await Scenario.CreateAdvertiserAsync();
        var (_, other) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await CreateAsync(owner, new { name = "Mine" });

        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/campaigns/{campaignId}/pause", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/campaigns/{campaignId}/resume", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/campaigns/{campaignId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/campaigns/{campaignId}", new { name = "Theirs" }, Cancel)).StatusCode);
        Assert.Equal("active", (await ApiScenario.JsonAsync(await owner.GetAsync($"/api/campaigns/{campaignId}", Cancel))).GetProperty("status").GetString());
    }

    private static async Task<Guid> CreateAsync(HttpClient advertiser, object body)
    {
        var response = await advertiser.PostAsJsonAsync("/api/campaigns", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        return (await ApiScenario.JsonAsync(response)).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient advertiser, Guid campaignId, object body, EntityTagHeaderValue? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/campaigns/{campaignId}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(ifMatch);
        }

        return advertiser.SendAsync(request, Cancel);
    }
}
