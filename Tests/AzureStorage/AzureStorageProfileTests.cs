using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.AzureStorage;

/// <summary>The whole Api on Azurite: clustering, grain state, queue streams and raw clicks in Azure Storage.</summary>
[Trait("Category", "Azurite")]
public sealed class AzureStorageProfileTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Walkthrough_OnAzurite_CountedOnceAcrossRestart()
    {
        await using var azurite = await Azurite.StartAsync();
        using var data = new TempDirectory();
        // Both instances share one deployment's secrets: the advertiser's key and the token outlive the first.
        var settings = AdClicksApiFactory.SharedSecrets();
        settings["ConnectionStrings:AzureStorage"] = azurite.ConnectionString;
        Guid adId;
        string token;
        string apiKey;
        await using (var first = new AdClicksApiFactory(data.Path, settings: settings).Start())
        {
            var scenario = new ApiScenario(first);
            (_, apiKey) = await scenario.CreateAdvertiserKeyAsync();
            using var advertiser = first.CreateClient(apiKey);
            var campaignId = await ApiScenario.CreateCampaignAsync(advertiser);
            adId = await ApiScenario.CreateAdAsync(advertiser, campaignId);
            token = await ApiScenario.CreateImpressionAsync(advertiser, adId);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await scenario.ViewAsync(token)).StatusCode);
                Assert.Equal(HttpStatusCode.Redirect, (await scenario.ClickAsync(token)).StatusCode);
            }

            await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 1));
        }

        using var freshData = new TempDirectory();
        await using var second = new AdClicksApiFactory(freshData.Path, settings: settings).Start();
        var again = new ApiScenario(second);
        using var sameAdvertiser = second.CreateClient(apiKey);
        await again.ClickAsync(token);
        await again.ClickAsync(await ApiScenario.CreateImpressionAsync(sameAdvertiser, adId));

        // A fresh aggregate store: the counts are rebuilt from Azure Storage, and the old token is still a duplicate.
        await ApiScenario.WaitForTotalsAsync(sameAdvertiser, adId, (2, 1));
    }

    [Fact]
    public async Task Storage_UnreachableForSeconds_BeaconRedirectsOr503AndNothingAnsweredIsLost()
    {
        await using var azurite = await Azurite.StartAsync();
        using var network = azurite.ThroughProxies();
        using var data = new TempDirectory();
        var settings = AdClicksApiFactory.SharedSecrets();
        settings["ConnectionStrings:AzureStorage"] = network.ConnectionString;
        await using var api = new AdClicksApiFactory(data.Path, settings: settings).Start();
        var scenario = new ApiScenario(api);
        var (advertiser, _, adId) = await scenario.CreateAdWithOwnerAsync();
        var tokens = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => ApiScenario.CreateImpressionAsync(advertiser, adId)));
        var answered = new ConcurrentBag<string>();

        async Task ClickAsync(string token)
        {
            var response = await scenario.ClickAsync(token);
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.ServiceUnavailable, $"answered {response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                answered.Add(token);
            }
        }

        foreach (var token in tokens[..20])
        {
            await ClickAsync(token);
        }

        network.Cut();
        var during = Task.WhenAll(tokens[20..40].Select(ClickAsync));
        await Task.Delay(TimeSpan.FromSeconds(3), Cancel);
        network.Restore();
        await during;
        foreach (var token in tokens[40..])
        {
            await ClickAsync(token);
        }

        Assert.True(answered.Count >= 40, $"only {answered.Count} clicks were answered");
        var counted = await Eventually.MatchesAsync(
            () => ApiScenario.TotalsAsync(advertiser, adId),
            totals => totals.Clicks >= answered.Distinct().Count(),
            TimeSpan.FromSeconds(90));
        Assert.InRange(counted.Clicks, answered.Distinct().Count(), tokens.Length);
    }

    [Fact]
    public async Task ApiProcess_KilledHardDuringBurst_EveryAnsweredClickCountedOnce()
    {
        await using var azurite = await Azurite.StartAsync();
        using var data = new TempDirectory();
        var settings = AdClicksApiFactory.SharedSecrets();
        settings["ConnectionStrings:AzureStorage"] = azurite.ConnectionString;
        var adminKey = settings[AuthOptions.AdminKeyKey];
        await using var api = new ApiProcess(data.Path, settings);
        await api.StartAsync();
        using var admin = api.CreateClient(adminKey);
        var (advertiser, adIds) = await api.CreateAdsAsync(admin, ads: 4);
        var tokens = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => ApiScenario.CreateImpressionAsync(advertiser, adIds[i % adIds.Count])));
        var answered = new ConcurrentBag<string>();
        using var anonymous = api.CreateClient(apiKey: null);

        var burst = Task.WhenAll(tokens.Select(async (token, i) =>
        {
            await Task.Delay(i * 5, Cancel);
            try
            {
                if ((await anonymous.GetAsync($"/c/{token}", Cancel)).StatusCode == HttpStatusCode.Redirect)
                {
                    answered.Add(token);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Net.Sockets.SocketException or IOException)
            {
                // The process died under this request: not answered, so it may or may not be counted.
            }
        }));
        await Eventually.MatchesAsync(() => Task.FromResult(answered.Count), n => n >= 100);
        await api.KillAsync();
        await burst;
        await api.StartAsync();
        foreach (var token in tokens)
        {
            // Browsers retry what failed; a repeat of an answered click must change nothing.
            await anonymous.GetAsync($"/c/{token}", Cancel);
        }

        var totals = await Task.WhenAll(adIds.Select(ad => Eventually.MatchesAsync(
            () => ApiScenario.TotalsAsync(advertiser, ad),
            t => t.Clicks == tokens.Length / adIds.Count,
            TimeSpan.FromSeconds(90),
            t => Assert.True(t.Clicks <= tokens.Length / adIds.Count, $"over-count: {t}"))));
        Assert.Equal(tokens.Length, totals.Sum(t => t.Clicks));
        Assert.True(answered.Count >= 100);
    }
}
