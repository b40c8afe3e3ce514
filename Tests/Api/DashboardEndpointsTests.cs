using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Api.Dashboard;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>The page at "/" and its files, as the Api serves them over HTTP (the browser tests drive the page itself).</summary>
public sealed partial class DashboardEndpointsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Page_Anonymous_HtmlWithTheSecurityHeaders()
    {
        var response = await fixture.Scenario.Anonymous.GetAsync("/", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(DashboardEndpoints.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.Contains("data-testid=\"sign-in\"", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Beacon_TokenLooksLikeAFileName_NoRouteChecksTheDisk()
    {
        // Run from its build output, ASP.NET Core would add a fallback "{**path:file}" for files added after startup,
        // whose constraint looks on disk for every path whose last segment has a dot: a click's token has one.
        var routes = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var response = await fixture.Scenario.Anonymous.GetAsync("/not-a-dashboard-file.js", Cancel);

        Assert.DoesNotContain(routes, r => r.RoutePattern.Parameters.Any(p => p.ParameterPolicies.Count > 0 && p.IsCatchAll));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Page_EveryFileItNames_ServedFromThisOriginWithItsType()
    {
        var page = await fixture.Scenario.Anonymous.GetStringAsync("/", Cancel);
        var files = LocalReference().Matches(page).Select(m => m.Groups["path"].Value).ToList();
        files.AddRange(await ModuleImportsAsync("/dashboard/app.js"));

        Assert.Contains("/lib/uplot/uPlot.iife.min.js", files);
        Assert.All(files.Distinct(), path => Assert.DoesNotContain("//", path.TrimStart('/'), StringComparison.Ordinal));
        foreach (var path in files.Distinct())
        {
            var response = await fixture.Scenario.Anonymous.GetAsync(path, Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
            var expected = path.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/javascript";
            Assert.Equal(expected, response.Content.Headers.ContentType!.MediaType);
            Assert.Equal(DashboardEndpoints.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        }
    }

    [Fact]
    public async Task Page_NoSecurityHeadersAddedToApiAnswers()
    {
        var response = await fixture.Scenario.Anonymous.GetAsync("/health/live", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public void ChartLibrary_VendoredWithItsLicenceAndVersion()
    {
        var folder = Path.Combine(DotnetCli.RepositoryRoot, "Api", "wwwroot", "lib", "uplot");

        Assert.Contains("MIT License", File.ReadAllText(Path.Combine(folder, "LICENSE")), StringComparison.Ordinal);
        foreach (var file in new[] { "uPlot.iife.min.js", "uPlot.min.css" })
        {
            Assert.StartsWith("/*! uPlot 1.6.32, MIT licence", File.ReadLines(Path.Combine(folder, file)).First(), StringComparison.Ordinal);
        }
    }

    /// <summary>The modules app.js imports, and theirs, as absolute paths.</summary>
    private async Task<List<string>> ModuleImportsAsync(string module)
    {
        var found = new List<string> { module };
        for (var i = 0; i < found.Count; i++)
        {
            var text = await fixture.Scenario.Anonymous.GetStringAsync(found[i], Cancel);
            var folder = found[i][..(found[i].LastIndexOf('/') + 1)];
            foreach (var import in ModuleImport().Matches(text).Select(m => folder + m.Groups["file"].Value).Where(p => !found.Contains(p)))
            {
                found.Add(import);
            }
        }

        return found;
    }

    [GeneratedRegex("""(?:src|href)="(?<path>/[^"]+)""")]
    private static partial Regex LocalReference();

    [GeneratedRegex("""from "\./(?<file>[a-z-]+\.js)";""")]
    private static partial Regex ModuleImport();
}
