using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Tests.Kusto.Client;

[Trait("Category", "Kusto")]
public sealed class KustoConnectionTests
{
    private const string Key = "ConnectionStrings:Kusto";

    [Theory]
    [InlineData("Data Source=https://adclicks.westeurope.kusto.windows.net;Initial Catalog=adclicks")]
    [InlineData("data source=https://adclicks.westeurope.kusto.windows.net/;initial catalog=adclicks")]
    [InlineData("Server=https://adclicks.westeurope.kusto.windows.net;Database=adclicks")]
    [InlineData("Addr=https://adclicks.westeurope.kusto.windows.net; Database = adclicks ;")]
    public void Parse_KustoForm_ClusterDatabaseAndScope(string value)
    {
        var connection = KustoConnection.Parse(Key, value, () => new ScopeRecordingCredential());

        Assert.Equal(new Uri("https://adclicks.westeurope.kusto.windows.net/"), connection.ClusterUri);
        Assert.Equal("adclicks", connection.Database);
        Assert.Equal("https://adclicks.westeurope.kusto.windows.net/.default", connection.TokenScope);
        Assert.False(connection.UsesApplicationKey);
        Assert.IsType<ScopeRecordingCredential>(connection.Credential);
    }

    [Fact]
    public void Parse_ApplicationKey_ClientSecretCredentialAndKeyNeverShown()
    {
        var connection = KustoConnection.Parse(Key,
            "Data Source=https://adclicks.westeurope.kusto.windows.net;Initial Catalog=adclicks;Application Client Id=11111111-1111-1111-1111-111111111111;Application Key=s3cret-value;Authority Id=22222222-2222-2222-2222-222222222222");

        Assert.True(connection.UsesApplicationKey);
        Assert.IsType<Azure.Identity.ClientSecretCredential>(connection.Credential);
        Assert.DoesNotContain("s3cret-value", connection.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Initial Catalog=adclicks;AppKey=s3cret-value", "Data Source")]
    [InlineData("Data Source=http://adclicks.westeurope.kusto.windows.net;Initial Catalog=adclicks;AppKey=s3cret-value", "Data Source")]
    [InlineData("Data Source=https://adclicks.westeurope.kusto.windows.net/?sig=s3cret-value;Initial Catalog=adclicks", "Data Source")]
    [InlineData("Data Source=https://adclicks.westeurope.kusto.windows.net;AppKey=s3cret-value", "Initial Catalog")]
    [InlineData("Data Source=https://adclicks.westeurope.kusto.windows.net;Initial Catalog=adclicks;AppKey=s3cret-value", "Application Client Id")]
    [InlineData("https://adclicks.westeurope.kusto.windows.net?s3cret-value", "Data Source")]
    [InlineData("Data Source='s3cret-value", "Kusto connection string")]
    public void Parse_Incomplete_RefusedNamingTheKeyNeverTheSecret(string value, string missing)
    {
        var error = Assert.Throws<InvalidOperationException>(() => KustoConnection.Parse(Key, value));

        Assert.Contains(Key, error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", error.Message, StringComparison.Ordinal);
    }
}
