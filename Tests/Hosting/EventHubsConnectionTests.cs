using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Hosting;

public sealed class EventHubsConnectionTests
{
    private const string Key = "ConnectionStrings:EventHubs";
    private const string Azurite = "UseDevelopmentStorage=true";

    // The documented shape with a made-up key: nothing here reaches a service.
    private const string ConnectionString = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=bm90LWEta2V5";

    [Fact]
    public void Parse_ConnectionString_NamespaceAndKeyForClientsThatTakeOne()
    {
        var connection = EventHubsConnection.Parse(Key, ConnectionString);

        Assert.False(connection.UsesTokenCredential);
        Assert.Equal("contoso.servicebus.windows.net", connection.FullyQualifiedNamespace);
        Assert.Equal("contoso.servicebus.windows.net:9093", connection.KafkaBootstrapServers);
        Assert.Null(connection.EventHubName);
        Assert.Equal(ConnectionString, connection.ConnectionString);
        Assert.DoesNotContain("SharedAccessKey", connection.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ConnectionStringWithEntityPath_NamesTheHub()
    {
        var connection = EventHubsConnection.Parse(Key, ConnectionString + ";EntityPath=clicks-eu");

        Assert.Equal("clicks-eu", connection.EventHubName);
    }

    [Theory]
    [InlineData("contoso.servicebus.windows.net")]
    [InlineData("sb://contoso.servicebus.windows.net/")]
    [InlineData("https://contoso.servicebus.windows.net")]
    public void Parse_HostName_TokenCredentialAndNoConnectionString(string value)
    {
        var connection = EventHubsConnection.Parse(Key, value);

        Assert.True(connection.UsesTokenCredential);
        Assert.Equal("contoso.servicebus.windows.net", connection.FullyQualifiedNamespace);
        Assert.Null(connection.ConnectionString);
    }

    [Theory]
    [InlineData("not a namespace")]
    [InlineData("Endpoint=nonsense;SharedAccessKey=x")]
    [InlineData("Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send")]
    [InlineData("localhost")]
    public void Parse_NeitherForm_RefusedNamingTheKeyNotTheValue(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => EventHubsConnection.Parse(Key, value));

        Assert.Contains(Key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_EventHubsConnectionSet_IsTheClickLogAndTheRestUnchanged()
    {
        var settings = AdClicksSettings.From(TestConfiguration.Of(new()
        {
            [Key] = "contoso.servicebus.windows.net",
            ["ConnectionStrings:AzureStorage"] = Azurite,
        }));

        Assert.Equal(new AdClicksBackends(Backend.EventHubs, Backend.AzureStorage, Backend.Embedded, Backend.AzureStorage), settings.Backends);
        Assert.Equal("contoso.servicebus.windows.net", settings.RequireEventHubs().FullyQualifiedNamespace);
        Assert.Equal("clicks", settings.EventHubsOptions.Hub);
    }

    [Fact]
    public void Settings_NoEventHubsConnection_NothingOfEventHubs()
    {
        var settings = AdClicksSettings.From(TestConfiguration.Of(new() { ["ConnectionStrings:AzureStorage"] = Azurite }));

        Assert.Equal(Backend.AzureStorage, settings.Backends.ClickLog);
        Assert.Null(settings.EventHubs);
    }

    [Fact]
    public void Settings_EventHubsWithoutAzureStorage_RefusedSayingWhereCheckpointsGo()
    {
        var configuration = TestConfiguration.Of(new() { [Key] = "contoso.servicebus.windows.net" });

        var error = Assert.Throws<InvalidOperationException>(() => AdClicksSettings.From(configuration));

        Assert.Contains("ConnectionStrings:AzureStorage", error.Message, StringComparison.Ordinal);
        Assert.Contains("checkpoints", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_EntityPathAndAnotherHub_RefusedNamingBoth()
    {
        var configuration = TestConfiguration.Of(new()
        {
            [Key] = ConnectionString + ";EntityPath=clicks-eu",
            ["ConnectionStrings:AzureStorage"] = Azurite,
            ["AdClicks:EventHubs:Hub"] = "clicks",
        });

        var error = Assert.Throws<InvalidOperationException>(() => AdClicksSettings.From(configuration));

        Assert.Contains("clicks-eu", error.Message, StringComparison.Ordinal);
        Assert.Contains("AdClicks:EventHubs:Hub", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_EntityPath_IsTheHub()
    {
        var settings = AdClicksSettings.From(TestConfiguration.Of(new()
        {
            [Key] = ConnectionString + ";EntityPath=clicks-eu",
            ["ConnectionStrings:AzureStorage"] = Azurite,
        }));

        Assert.Equal("clicks-eu", settings.EventHubsOptions.Hub);
    }

    [Fact]
    public void Settings_BadCheckpointTableName_RefusedNamingTheSection()
    {
        var configuration = TestConfiguration.Of(new()
        {
            [Key] = "contoso.servicebus.windows.net",
            ["ConnectionStrings:AzureStorage"] = Azurite,
            ["AdClicks:EventHubs:CheckpointTable"] = "no-dashes",
        });

        var error = Assert.Throws<InvalidOperationException>(() => AdClicksSettings.From(configuration));

        Assert.Contains("AdClicks:EventHubs", error.Message, StringComparison.Ordinal);
    }
}
