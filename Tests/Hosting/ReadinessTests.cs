using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.Runtime;

namespace Orleans.AdClicks.Tests.Hosting;

/// <summary>The Api's /health/ready: probed every few seconds, so it must not load application state.</summary>
public sealed class ReadinessTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ready_ClusterAnswers_ActivatesNoApplicationGrain()
    {
        using var data = new TempDirectory();
        await using var api = new AdClicksApiFactory(data.Path).Start();
        using var anonymous = api.CreateClient(apiKey: null);
        var management = api.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var before = await ApplicationGrainTypesAsync(management);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready", Cancel)).StatusCode);
        }

        // Before: each probe read the advertiser directory, i.e. every advertiser id there is.
        Assert.Equal(before, await ApplicationGrainTypesAsync(management));
    }

    private static async Task<List<string>> ApplicationGrainTypesAsync(IManagementGrain management) =>
        [.. (await management.GetSimpleGrainStatistics())
            .Select(s => s.GrainType)
            .Where(t => t.StartsWith("Orleans.AdClicks.", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal)];
}
