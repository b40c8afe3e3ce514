using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.AdClicks.Tests.Api;

public sealed class OpenApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly string[] ContractPaths =
    [
        "/c/{token}",
        "/v/{token}",
        "/api/me",
        "/api/advertisers",
        "/api/campaigns",
        "/api/campaigns/{id}",
        "/api/campaigns/{id}/ads",
        "/api/ads/{adId}",
        "/api/ads/{adId}/impressions",
        "/api/analytics/ads/{adId}",
        "/api/analytics/campaigns/{id}",
        "/api/analytics/advertisers/{id}",
        "/api/analytics/top-ads",
        "/api/analytics/ads/{adId}/breakdown",
        "/api/analytics/campaigns/{id}/breakdown",
        "/api/analytics/advertisers/{id}/breakdown",
        "/api/webhooks",
        "/api/webhooks/{id}",
        "/api/webhooks/{id}/deliveries",
        "/health/live",
        "/health/ready",
    ];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Document_Anonymous_ValidJsonListingTheContract()
    {
        var response = await fixture.Scenario.Anonymous.GetAsync("/openapi/v1.json", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var document = await DocumentAsync(response);
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths");
        Assert.All(ContractPaths, path => Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing"));
    }

    [Fact]
    public async Task Document_EveryMappedOperation_Described()
    {
        var document = await DocumentAsync(await fixture.Scenario.Anonymous.GetAsync("/openapi/v1.json", Cancel));
        var paths = document.GetProperty("paths");

        var mapped = MappedOperations().ToList();

        Assert.NotEmpty(mapped);
        Assert.All(mapped, operation => Assert.True(
            paths.TryGetProperty(operation.Path, out var item) && item.TryGetProperty(operation.Method.ToLowerInvariant(), out _),
            $"{operation.Method} {operation.Path} is missing"));
    }

    [Fact]
    public async Task Document_ApiOperations_RequireTheApiKeySchemeAndBeaconsDoNot()
    {
        var document = await DocumentAsync(await fixture.Scenario.Anonymous.GetAsync("/openapi/v1.json", Cancel));

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Path: path.Name, Operation: operation.Value)))
            .ToList();

        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        Assert.All(operations.Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal)), o =>
            Assert.Contains(o.Operation.GetProperty("security").EnumerateArray(), requirement => requirement.TryGetProperty("ApiKey", out _)));
        Assert.All(operations.Where(o => !o.Path.StartsWith("/api/", StringComparison.Ordinal)), o =>
            Assert.False(o.Operation.TryGetProperty("security", out _), $"{o.Path} should be anonymous"));
    }

    [Theory]
    [InlineData("SeriesPointDto")]
    [InlineData("TotalsDto")]
    [InlineData("TopAdDto")]
    public async Task Document_AnalyticsCounts_CarryInvalidClicksWithEveryReason(string schemaName)
    {
        var document = await DocumentAsync(await fixture.Scenario.Anonymous.GetAsync("/openapi/v1.json", Cancel));
        var schemas = document.GetProperty("components").GetProperty("schemas");

        var properties = schemas.GetProperty(schemaName).GetProperty("properties");
        var byReason = Resolve(schemas, properties.GetProperty("invalidClicksByReason"));

        Assert.Equal("int64", properties.GetProperty("invalidClicks").GetProperty("format").GetString());
        Assert.Equal(
            ["addressFlood", "campaignFlood", "expiredToken", "knownCrawler", "tooEarly"],
            byReason.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(5, byReason.GetProperty("required").GetArrayLength());
    }

    [Theory]
    [InlineData("/scalar/v1")]
    [InlineData("/scalar")]
    public async Task ApiReference_Anonymous_Html(string path)
    {
        using var client = new HttpClient { BaseAddress = fixture.Factory.ClientOptions.BaseAddress };

        var response = await client.GetAsync(path, Cancel);
        var html = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Every route the Api maps under /api and the beacons, as the document spells paths.</summary>
    private IEnumerable<(string Method, string Path)> MappedOperations()
    {
        var endpoints = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var path = DocumentPath(endpoint.RoutePattern);
            if (!(path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/c/", StringComparison.Ordinal) || path.StartsWith("/v/", StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                yield return (method, path);
            }
        }
    }

    /// <summary>"/api/ads/{adId:guid}/" becomes "/api/ads/{adId}".</summary>
    private static string DocumentPath(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        })));
        return "/" + string.Join('/', segments);
    }

    /// <summary>The schema itself, following a <c>$ref</c> into components/schemas.</summary>
    private static JsonElement Resolve(JsonElement schemas, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;

    private static async Task<JsonElement> DocumentAsync(HttpResponseMessage response)
    {
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(Cancel), cancellationToken: Cancel);
        return json.RootElement.Clone();
    }
}
