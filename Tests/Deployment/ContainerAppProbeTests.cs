using System.Net;
using System.Text.Json;
using Orleans.AdClicks.Tests.Api;

namespace Orleans.AdClicks.Tests.Deployment;

/// <summary>
/// The Container Apps probes point at endpoints the apps serve: the Api's probe paths answer 200 on a running Api, on
/// the port it is told to listen on (ASPNETCORE_HTTP_PORTS, as the Api image sets it); the silos' probes use the same paths (one MapDefaultEndpoints) on the health port
/// the silos are configured with.
/// </summary>
[Trait("Category", "Bicep")]
public sealed class ContainerAppProbeTests(CompiledTemplate compiled, ApiFixture api) : IClassFixture<CompiledTemplate>, IClassFixture<ApiFixture>
{
    [Fact]
    public async Task ApiProbes_AnswerOnRunningApi()
    {
        var probes = Probes("api");

        Assert.Equal(["Liveness", "Readiness", "Startup"], probes.Select(p => p.GetProperty("type").GetString()).Order());
        foreach (var probe in probes)
        {
            var httpGet = probe.GetProperty("httpGet");
            var response = await api.Scenario.Anonymous.GetAsync(httpGet.GetProperty("path").GetString(), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("[parameters('port')]", httpGet.GetProperty("port").GetString());
        }

        var parameters = compiled.Deployment("api").GetProperty("properties").GetProperty("parameters");
        Assert.Contains("'ASPNETCORE_HTTP_PORTS', 'value', string(variables('apiPort'))", parameters.GetProperty("env").GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Equal("[variables('apiPort')]", parameters.GetProperty("port").GetProperty("value").GetString());
    }

    [Fact]
    public void SiloProbes_ApiPathsOnHealthPort()
    {
        var apiPaths = Probes("api").Select(p => p.GetProperty("httpGet").GetProperty("path").GetString()).ToHashSet();
        var probes = Probes("silo");

        Assert.Equal(["Liveness", "Readiness", "Startup"], probes.Select(p => p.GetProperty("type").GetString()).Order());
        Assert.All(probes, probe =>
        {
            var httpGet = probe.GetProperty("httpGet");
            Assert.Contains(httpGet.GetProperty("path").GetString(), apiPaths);
            Assert.Equal("[parameters('healthPort')]", httpGet.GetProperty("port").GetString());
        });
        var parameters = compiled.Deployment("silo").GetProperty("properties").GetProperty("parameters");
        Assert.Equal("[variables('healthPort')]", parameters.GetProperty("healthPort").GetProperty("value").GetString());
        Assert.Contains("'AdClicks__Cluster__HealthPort', 'value', string(variables('healthPort'))", parameters.GetProperty("env").GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    private List<JsonElement> Probes(string app) =>
    [
        .. Assert.Single(compiled.OfType("Microsoft.App/containerApps"), a => a.Module == app)
            .Resource.GetProperty("properties").GetProperty("template").GetProperty("containers")[0].GetProperty("probes").EnumerateArray(),
    ];
}
