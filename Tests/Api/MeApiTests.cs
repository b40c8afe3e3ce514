using System.Net;
using System.Text.Json;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>GET /api/me: whom the key signs in as, for the dashboard.</summary>
public sealed class MeApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Me_AdvertiserKey_ItsIdAndNameNotAdmin()
    {
        var (id, advertiser) = await Scenario.CreateAdvertiserAsync("Globex");

        var response = await advertiser.GetAsync("/api/me", Cancel);

        var body = await ApiScenario.JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, body.GetProperty("advertiserId").GetGuid());
        Assert.Equal("Globex", body.GetProperty("name").GetString());
        Assert.False(body.GetProperty("isAdmin").GetBoolean());
    }

    [Fact]
    public async Task Me_AdminKey_NullIdsWrittenAndAdmin()
    {
        var response = await Scenario.Admin.GetAsync("/api/me", Cancel);

        var body = await ApiScenario.JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("advertiserId").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("name").ValueKind);
        Assert.True(body.GetProperty("isAdmin").GetBoolean());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task Me_MissingOrWrongKey_401Problem(string? key)
    {
        using var client = fixture.Factory.CreateClient(key);

        var response = await client.GetAsync("/api/me", Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}
