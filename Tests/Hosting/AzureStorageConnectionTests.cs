using Azure.Core;
using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Tests.Hosting;

public sealed class AzureStorageConnectionTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Parse_ConnectionString_ClientsUseItsAccountAndKey()
    {
        var connection = AzureStorageConnection.Parse("ConnectionStrings:AzureStorage", "UseDevelopmentStorage=true");

        Assert.False(connection.UsesTokenCredential);
        Assert.Equal("devstoreaccount1", connection.CreateTableServiceClient().AccountName);
        Assert.Equal("devstoreaccount1", connection.CreateQueueServiceClient().AccountName);
        Assert.Equal("devstoreaccount1", connection.CreateBlobServiceClient().AccountName);
    }

    [Theory]
    [InlineData("https://acct.table.core.windows.net/")]
    [InlineData("https://acct.queue.core.windows.net")]
    [InlineData("https://acct.blob.core.windows.net/")]
    public void Parse_Endpoint_EachServiceAtItsOwnEndpointOfTheAccount(string endpoint)
    {
        var connection = AzureStorageConnection.Parse("ConnectionStrings:AzureStorage", endpoint, () => new RefusingCredential());

        Assert.True(connection.UsesTokenCredential);
        Assert.Equal("acct.table.core.windows.net", connection.CreateTableServiceClient().Uri.Host);
        Assert.Equal("acct.queue.core.windows.net", connection.CreateQueueServiceClient().Uri.Host);
        Assert.Equal("acct.blob.core.windows.net", connection.CreateBlobServiceClient().Uri.Host);
    }

    [Fact]
    public async Task Parse_Endpoint_ClientsAskTheTokenCredentialBeforeAnyRequest()
    {
        var connection = AzureStorageConnection.Parse("ConnectionStrings:AzureStorage", "https://acct.table.core.windows.net", () => new RefusingCredential());

        // The credential refuses before a request is sent, so no network is needed to see that it is the one used.
        await Assert.ThrowsAsync<RefusingCredential.Refused>(() => connection.CreateTableServiceClient().GetPropertiesAsync(Cancel));
        await Assert.ThrowsAsync<RefusingCredential.Refused>(() => connection.CreateQueueServiceClient().GetPropertiesAsync(Cancel));
        await Assert.ThrowsAsync<RefusingCredential.Refused>(() => connection.CreateBlobServiceClient().GetPropertiesAsync(cancellationToken: Cancel));
    }

    [Fact]
    public void Parse_Endpoint_DefaultAzureCredentialUnlessGiven()
    {
        var connection = AzureStorageConnection.Parse("ConnectionStrings:AzureStorage", "https://acct.table.core.windows.net");

        Assert.True(connection.UsesTokenCredential);
        Assert.Equal("https://acct.table.core.windows.net/", connection.ToString());
    }

    [Theory]
    [InlineData("https://example.com/")]
    [InlineData("http://acct.table.core.windows.net/")]
    [InlineData("https://acct.table.core.windows.net/?sv=2024&sig=secret")]
    public void Parse_UriThatIsNoStorageEndpoint_RefusedNamingTheKey(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => AzureStorageConnection.Parse("AdClicks:RawClicks:ConnectionStrings:1", value));

        Assert.Contains("AdClicks:RawClicks:ConnectionStrings:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_ConnectionString_NeverShowsTheKey()
    {
        var connection = AzureStorageConnection.Parse("ConnectionStrings:AzureStorage", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net");

        Assert.DoesNotContain("c2VjcmV0", connection.ToString(), StringComparison.Ordinal);
    }

    private sealed class RefusingCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw new Refused();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw new Refused();

        public sealed class Refused : Exception;
    }
}
