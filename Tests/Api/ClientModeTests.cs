using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>The Api as a plain Orleans client of a separately hosted silo (AdClicks:Cluster:Mode = Client).</summary>
public sealed class ClientModeTests
{
    [Fact]
    public async Task ClientMode_ApiAgainstSeparateSilo_RedirectsAndCounts()
    {
        using var siloData = new TempDirectory();
        using var apiData = new TempDirectory();
        var gatewayPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var silo = Host.CreateApplicationBuilder();
        silo.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AdClicks:DataDirectory"] = siloData.Path,
            ["AdClicks:Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["AdClicks:Cluster:GatewayPort"] = gatewayPort,
        });
        var calls = new GrainCallRecorder();
        silo.UseOrleans(s => s.UseAdClicksClustering(silo.Configuration).AddAdClicks(silo.Configuration).AddIncomingGrainCallFilter(calls));
        using var siloHost = silo.Build();
        await siloHost.StartAsync(TestContext.Current.CancellationToken);

        await using (var api = new AdClicksApiFactory(apiData.Path, settings: new Dictionary<string, string>
        {
            ["AdClicks:Cluster:Mode"] = "Client",
            ["AdClicks:Cluster:GatewayPort"] = gatewayPort,
        }).Start())
        {
            var scenario = new ApiScenario(api);
            var (advertiser, _, adId) = await scenario.CreateAdWithOwnerAsync();
            var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);

            var responses = new[] { await scenario.ClickAsync(token), await scenario.ClickAsync(token) };

            Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
            await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 0));

            // The aggregate file belongs to the silo's process, so the Api's analytics go through the grain there.
            Assert.NotEqual(0, calls.CallsTo<IAnalyticsGrain>());

            // The dashboard's reads take the same path: an advertiser's series with the previous period, top ads by CTR.
            var advertiserId = (await ApiScenario.JsonAsync(await advertiser.GetAsync("/api/me", TestContext.Current.CancellationToken))).GetProperty("advertiserId").GetGuid();
            var series = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/analytics/advertisers/{advertiserId}?granularity=day&compare=previous", TestContext.Current.CancellationToken));
            var top = await ApiScenario.JsonAsync(await advertiser.GetAsync("/api/analytics/top-ads?sort=ctr", TestContext.Current.CancellationToken));
            Assert.Equal(1, series.GetProperty("totals").GetProperty("clicks").GetInt64());
            Assert.Equal(0, series.GetProperty("previous").GetProperty("totals").GetProperty("clicks").GetInt64());
            Assert.Equal(adId, Assert.Single(top.GetProperty("items").EnumerateArray()).GetProperty("adId").GetGuid());
            Assert.Equal("Banner", top.GetProperty("items")[0].GetProperty("adName").GetString());

            // And the breakdowns, through the BreakdownAnalyticsGrain there (the click came without a user agent).
            var devices = await Eventually.MatchesAsync(
                async () => await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/analytics/ads/{adId}/breakdown?by=device", TestContext.Current.CancellationToken)),
                answer => answer.GetProperty("totals").GetProperty("clicks").GetInt64() == 1);
            Assert.Equal("unknown", Assert.Single(devices.GetProperty("items").EnumerateArray()).GetProperty("value").GetString());
            Assert.NotEqual(0, calls.CallsTo<IBreakdownAnalyticsGrain>());
        }

        Assert.True(Directory.Exists(Path.Combine(siloData.Path, "raw-clicks")));
        Assert.False(Directory.Exists(Path.Combine(apiData.Path, "raw-clicks")));
        Assert.False(File.Exists(Path.Combine(apiData.Path, "aggregates.duckdb")));
        await siloHost.StopAsync(TestContext.Current.CancellationToken);
    }
}
