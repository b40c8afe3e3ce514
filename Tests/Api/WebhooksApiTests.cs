using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>Registering, reading and deleting webhooks over the real Api: tenancy, validation, the secret shown once.</summary>
public sealed class WebhooksApiTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_HttpsUrl_CreatedWithSecretShownOnlyThere()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();

        var response = await advertiser.PostAsJsonAsync("/api/webhooks", new { url = "https://hooks.example.com/adclicks", events = new[] { "campaign.budget_spent" } }, Cancel);
        var created = await ApiScenario.JsonAsync(response);
        var id = created.GetProperty("id").GetGuid();
        var read = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/webhooks/{id}", Cancel));
        var list = await ApiScenario.JsonAsync(await advertiser.GetAsync("/api/webhooks", Cancel));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/webhooks/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString());
        Assert.Equal("https://hooks.example.com/adclicks", read.GetProperty("url").GetString());
        Assert.Equal(["campaign.budget_spent"], read.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.False(read.TryGetProperty("secret", out _));
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetGuid());
        Assert.False(item.TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task Webhook_OfAnotherAdvertiser_NotFound()
    {
        var (ownerId, owner) = await Scenario.CreateAdvertiserAsync("Owner");
        var (_, other) = await Scenario.CreateAdvertiserAsync("Other");
        var id = (await RegisterAsync(owner, "https://hooks.example.com/owner")).Id;

        var get = await other.GetAsync($"/api/webhooks/{id}", Cancel);
        var deliveries = await other.GetAsync($"/api/webhooks/{id}/deliveries", Cancel);
        var delete = await other.DeleteAsync($"/api/webhooks/{id}", Cancel);
        var listOfOwner = await other.GetAsync($"/api/webhooks?advertiserId={ownerId}", Cancel);
        var ownList = await ApiScenario.JsonAsync(await other.GetAsync("/api/webhooks", Cancel));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deliveries.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, listOfOwner.StatusCode);
        Assert.Empty(ownList.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/webhooks/{id}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Delete_OwnWebhook_GoneFromGetAndList()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        var id = (await RegisterAsync(advertiser, "https://hooks.example.com/gone")).Id;

        var delete = await advertiser.DeleteAsync($"/api/webhooks/{id}", Cancel);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await advertiser.GetAsync($"/api/webhooks/{id}", Cancel)).StatusCode);
        Assert.Empty((await ApiScenario.JsonAsync(await advertiser.GetAsync("/api/webhooks", Cancel))).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await advertiser.DeleteAsync($"/api/webhooks/{id}", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("http://hooks.example.com/plain", "campaign.budget_spent", "url")]
    [InlineData("/relative/hook", "campaign.budget_spent", "url")]
    [InlineData("ftp://hooks.example.com/x", "campaign.budget_spent", "url")]
    [InlineData("https://user:pw@hooks.example.com/x", "campaign.budget_spent", "url")]
    [InlineData(null, "campaign.budget_spent", "url")]
    [InlineData("https://hooks.example.com/x", "campaign.exploded", "events")]
    [InlineData("https://hooks.example.com/x", null, "events")]
    public async Task Register_BadField_BadRequestNamingIt(string? url, string? eventType, string field)
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();

        var response = await advertiser.PostAsJsonAsync("/api/webhooks", new { url, events = eventType is null ? Array.Empty<string>() : [eventType] }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await ApiScenario.JsonAsync(response)).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task Register_ByAdminForAnAdvertiser_ListedForThatAdvertiser()
    {
        var (advertiserId, advertiser) = await Scenario.CreateAdvertiserAsync();

        var response = await Scenario.Admin.PostAsJsonAsync("/api/webhooks", new { url = "https://hooks.example.com/admin", events = new[] { "campaign.ended" }, advertiserId }, Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await ApiScenario.JsonAsync(response)).GetProperty("id").GetGuid();
        var own = await ApiScenario.JsonAsync(await advertiser.GetAsync("/api/webhooks", Cancel));
        Assert.Equal([id], own.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("id").GetGuid()));
        var named = await ApiScenario.JsonAsync(await Scenario.Admin.GetAsync($"/api/webhooks?advertiserId={advertiserId}", Cancel));
        Assert.Equal([id], named.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Register_PastTheLimit_ConflictAndNothingAdded()
    {
        var (_, advertiser) = await Scenario.CreateAdvertiserAsync();
        for (var i = 0; i < 20; i++)
        {
            await RegisterAsync(advertiser, $"https://hooks.example.com/{i}");
        }

        var response = await advertiser.PostAsJsonAsync("/api/webhooks", new { url = "https://hooks.example.com/one-too-many", events = new[] { "campaign.ended" } }, Cancel);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(20, (await ApiScenario.JsonAsync(await advertiser.GetAsync("/api/webhooks", Cancel))).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task List_AdminWithoutAdvertiser_BadRequestNamingIt()
    {
        var response = await Scenario.Admin.GetAsync("/api/webhooks", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiScenario.JsonAsync(response)).GetProperty("errors").TryGetProperty("advertiserId", out _));
    }

    /// <summary>Registers a webhook for <paramref name="events"/> (both budget events when none are named); its id and secret.</summary>
    public static async Task<(Guid Id, string Secret)> RegisterAsync(HttpClient advertiser, string url, params string[] events)
    {
        var response = await advertiser.PostAsJsonAsync(
            "/api/webhooks", new { url, events = events.Length > 0 ? events : new[] { "campaign.budget_spent", "campaign.daily_cap_reached" } }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await ApiScenario.JsonAsync(response);
        return (body.GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    /// <summary>The webhook's deliveries as GET /api/webhooks/{id}/deliveries answers them.</summary>
    public static async Task<JsonElement[]> DeliveriesAsync(HttpClient advertiser, Guid webhookId)
    {
        var response = await advertiser.GetAsync($"/api/webhooks/{webhookId}/deliveries", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await ApiScenario.JsonAsync(response)).GetProperty("items").EnumerateArray()];
    }
}
