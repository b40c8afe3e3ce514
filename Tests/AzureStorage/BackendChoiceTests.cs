using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.AzureStorage;

/// <summary>Each concern on Azure Storage alone, the others embedded (AdClicks:Backends:*).</summary>
[Trait("Category", "Azurite")]
public sealed class BackendChoiceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("ClickLog")]
    [InlineData("RawClicks")]
    [InlineData("Cluster")]
    public async Task Api_OneConcernOnAzureStorage_CountsOnceAndOnlyThatConcernUsesStorage(string concern)
    {
        await using var azurite = await Azurite.StartAsync();
        using var data = new TempDirectory();
        var settings = AdClicksApiFactory.SharedSecrets();
        settings["ConnectionStrings:AzureStorage"] = azurite.ConnectionString;
        settings["AdClicks:Backends:ClickLog"] = "Embedded";
        settings["AdClicks:Backends:RawClicks"] = "Embedded";
        settings["AdClicks:Backends:Cluster"] = "Embedded";
        settings[$"AdClicks:Backends:{concern}"] = "AzureStorage";
        await using var api = new AdClicksApiFactory(data.Path, settings: settings).Start();
        var scenario = new ApiScenario(api);
        var (advertiser, _, adId) = await scenario.CreateAdWithOwnerAsync();
        var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);

        Assert.Equal(HttpStatusCode.Redirect, (await scenario.ClickAsync(token)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await scenario.ClickAsync(token)).StatusCode);
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (1, 0));

        var tables = await new TableServiceClient(azurite.ConnectionString).QueryAsync(cancellationToken: Cancel).Select(t => t.Name).ToListAsync(Cancel);
        var queues = await new QueueServiceClient(azurite.ConnectionString).GetQueuesAsync(cancellationToken: Cancel).Select(q => q.Name).ToListAsync(Cancel);
        Assert.Equal(concern == "RawClicks", tables.Any(t => t.StartsWith("rawclicks", StringComparison.Ordinal)));
        Assert.Equal(concern == "Cluster", tables.Any(t => !t.StartsWith("rawclicks", StringComparison.Ordinal)));
        Assert.Equal(concern == "ClickLog", queues.Any(q => q.StartsWith("adclicks-clicks-", StringComparison.Ordinal)));
    }
}
