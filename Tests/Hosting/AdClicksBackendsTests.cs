using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Hosting;

public sealed class AdClicksBackendsTests
{
    private const string Azurite = "UseDevelopmentStorage=true";

    [Fact]
    public void From_NothingConfigured_EveryConcernEmbedded()
    {
        var backends = AdClicksBackends.From(TestConfiguration.Of([]));

        Assert.Equal(new AdClicksBackends(Backend.Embedded, Backend.Embedded, Backend.Embedded, Backend.Embedded), backends);
    }

    [Fact]
    public void From_OnlyAzureStorageConnection_EveryStorageConcernOnAzureAggregatesEmbedded()
    {
        var backends = AdClicksBackends.From(TestConfiguration.Of(new() { ["ConnectionStrings:AzureStorage"] = Azurite }));

        Assert.Equal(new AdClicksBackends(Backend.AzureStorage, Backend.AzureStorage, Backend.Embedded, Backend.AzureStorage), backends);
    }

    [Theory]
    [InlineData("ClickLog")]
    [InlineData("RawClicks")]
    [InlineData("Cluster")]
    public void From_OneConcernChosenAlone_OnlyItOnAzure(string concern)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:AzureStorage"] = Azurite,
            ["AdClicks:Backends:ClickLog"] = "Embedded",
            ["AdClicks:Backends:RawClicks"] = "Embedded",
            ["AdClicks:Backends:Cluster"] = "Embedded",
        };
        settings[$"AdClicks:Backends:{concern}"] = "AzureStorage";

        var backends = AdClicksBackends.From(TestConfiguration.Of(settings));

        Assert.Equal([concern], backends.All.Where(b => b.Backend == Backend.AzureStorage).Select(b => b.Key.Split(':')[^1]));
    }

    [Theory]
    [InlineData("ClickLog")]
    [InlineData("RawClicks")]
    [InlineData("Cluster")]
    public void From_AzureChosenWithoutConnection_RefusedNamingBothKeys(string concern)
    {
        var configuration = TestConfiguration.Of(new() { [$"AdClicks:Backends:{concern}"] = "AzureStorage" });

        var error = Assert.Throws<InvalidOperationException>(() => AdClicksBackends.From(configuration));

        Assert.Contains($"AdClicks:Backends:{concern}", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:AzureStorage", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Aggregates", "AzureStorage")]
    [InlineData("RawClicks", "Cassandra")]
    [InlineData("ClickLog", "7")]
    public void From_BackendTheConcernDoesNotAccept_RefusedNamingTheKey(string concern, string backend)
    {
        var configuration = TestConfiguration.Of(new()
        {
            ["ConnectionStrings:AzureStorage"] = Azurite,
            [$"AdClicks:Backends:{concern}"] = backend,
        });

        var error = Assert.Throws<InvalidOperationException>(() => AdClicksBackends.From(configuration));

        Assert.Contains($"AdClicks:Backends:{concern} is '{backend}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Embedded", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("Embedded", true)]
    [InlineData("AzureStorage", true)]
    public void AnyAzureService_FollowsTheChosenBackends(string? clusterBackend, bool connectionSet)
    {
        var settings = new Dictionary<string, string?> { ["AdClicks:Backends:Cluster"] = clusterBackend };
        if (connectionSet)
        {
            settings["ConnectionStrings:AzureStorage"] = Azurite;
            settings["AdClicks:Backends:ClickLog"] = "Embedded";
            settings["AdClicks:Backends:RawClicks"] = "Embedded";
        }

        var any = AdClicksSettings.From(TestConfiguration.Of(settings)).AnyAzureService;

        Assert.Equal(clusterBackend == "AzureStorage", any);
    }
}
