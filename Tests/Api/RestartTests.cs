using System.Net;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>Everything the embedded profile keeps in the data directory survives a restart.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Restart_SameDataDirectory_KeepsCountsCampaignsKeysAndDedup()
    {
        using var data = new TempDirectory();
        string apiKey;
        string token;
        Guid campaignId;
        Guid adId;
        await using (var first = new AdClicksApiFactory(data.Path, generateSigningKeys: true).Start())
        {
            var scenario = new ApiScenario(first);
            (_, apiKey) = await scenario.CreateAdvertiserKeyAsync();
            using var advertiser = first.CreateClient(apiKey);
            campaignId = await ApiScenario.CreateCampaignAsync(advertiser);
            adId = await ApiScenario.CreateAdAsync(advertiser, campaignId);
            token = await ApiScenario.CreateImpressionAsync(advertiser, adId);
            for (var i = 0; i < 3; i++)
            {
                await scenario.ClickAsync(token);
            }

            await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 0));
        }

        await using var second = new AdClicksApiFactory(data.Path, generateSigningKeys: true).Start();
        var again = new ApiScenario(second);
        using var sameAdvertiser = second.CreateClient(apiKey);

        Assert.Equal(HttpStatusCode.OK, (await sameAdvertiser.GetAsync($"/api/campaigns/{campaignId}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal((1L, 0L), await ApiScenario.TotalsAsync(sameAdvertiser, adId));
        Assert.Equal(HttpStatusCode.Redirect, (await again.ClickAsync(token)).StatusCode);
        await again.ClickAsync(await ApiScenario.CreateImpressionAsync(sameAdvertiser, adId));
        await ApiScenario.WaitForTotalsAsync(sameAdvertiser, adId, (2, 0));
    }
}
