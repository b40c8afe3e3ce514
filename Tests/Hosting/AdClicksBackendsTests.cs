using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Hosting;

public sealed class AdClicksBackendsTests
{
    private const string Azurite = "UseDevelopmentStorage=true";
    private const string Kusto = "Data Source=https://adclicks.westeurope.kusto.windows.net;Initial Catalog=adclicks";

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

    [Fact]
    public void From_KustoConnectionSet_AggregatesOnKustoWithItsDatabase()
    {
        var settings = AdClicksSettings.From(TestConfiguration.Of(new() { ["ConnectionStrings:Kusto"] = Kusto }));

        Assert.Equal(new AdClicksBackends(Backend.Embedded, Backend.Embedded, Backend.Kusto, Backend.Embedded), settings.Backends);
        Assert.Equal("adclicks", settings.RequireKusto().Database);
    }

    [Fact]
    public void From_KustoConnectionSetButAggregatesEmbedded_DuckDbAndNoKustoConnection()
    {
        var settings = AdClicksSettings.From(TestConfiguration.Of(new()
        {
            ["ConnectionStrings:Kusto"] = Kusto,
            ["AdClicks:Backends:Aggregates"] = "Embedded",
        }));

        Assert.Equal(Backend.Embedded, settings.Backends.Aggregates);
        Assert.Null(settings.Kusto);
    }

    [Fact]
    public void From_AggregatesOnKustoWithoutConnection_RefusedNamingBothKeys()
    {
        var configuration = TestConfiguration.Of(new() { ["AdClicks:Backends:Aggregates"] = "Kusto" });

        var error = Assert.Throws<InvalidOperationException>(() => AdClicksSettings.From(configuration));

        Assert.Contains("AdClicks:Backends:Aggregates is Kusto", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Kusto", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_KustoConnectionWithoutDatabase_RefusedNamingTheKey()
    {
        var configuration = TestConfiguration.Of(new() { ["ConnectionStrings:Kusto"] = "Data Source=https://adclicks.westeurope.kusto.windows.net" });

        var error = Assert.Throws<InvalidOperationException>(() => AdClicksSettings.From(configuration));

        Assert.Contains("ConnectionStrings:Kusto has no Initial Catalog", error.Message, StringComparison.Ordinal);
    }
}
