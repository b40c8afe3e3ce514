using System.Net;
using System.Text.Json;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Tests.Kusto.Client;

[Trait("Category", "Kusto")]
public sealed class KustoManagementClientTests
{
    private const string Cluster = "https://adclicks.westeurope.kusto.windows.net";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static (KustoManagementClient Client, RecordingKustoHandler Handler, ScopeRecordingCredential Credential) Create(params (HttpStatusCode, string)[] responses)
    {
        var handler = new RecordingKustoHandler(responses);
        var credential = new ScopeRecordingCredential();
        var connection = KustoConnection.Parse("ConnectionStrings:Kusto", $"Data Source={Cluster};Initial Catalog=adclicks", () => credential);
        return (new KustoManagementClient(new HttpClient(handler), connection, new KustoClientOptions { RetryDelay = TimeSpan.Zero, MaxRetryAttempts = 3 }), handler, credential);
    }

    [Fact]
    public async Task Execute_Request_PathHeadersAndBody()
    {
        var (client, handler, credential) = Create((HttpStatusCode.OK, "mgmt-mappings.json"));

        await client.ExecuteAsync("adclicks", ".show table AdMinuteAggregates ingestion json mappings", TimeSpan.FromSeconds(20), Cancel);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri($"{Cluster}/v1/rest/mgmt"), request.Uri);
        Assert.Equal($"Bearer {ScopeRecordingCredential.Token}", request.Headers.Authorization!.ToString());
        Assert.Equal("application/json; charset=utf-8", request.ContentType!.ToString());
        Assert.Equal("Orleans.AdClicks", Assert.Single(request.Headers.GetValues("x-ms-app")));
        Assert.StartsWith("Orleans.AdClicks;", Assert.Single(request.Headers.GetValues("x-ms-client-request-id")), StringComparison.Ordinal);
        Assert.Equal([$"{Cluster}/.default"], credential.Scopes);
        using var body = JsonDocument.Parse(request.Body);
        using var expected = JsonDocument.Parse("""{"db":"adclicks","csl":".show table AdMinuteAggregates ingestion json mappings","properties":{"Options":{"servertimeout":"00:00:20"}}}""");
        Assert.True(JsonElement.DeepEquals(expected.RootElement, body.RootElement), request.Body);
    }

    [Fact]
    public async Task Execute_Result_TypedTableWithColumnsAndRows()
    {
        var (client, handler, _) = Create((HttpStatusCode.OK, "mgmt-mappings.json"));

        var result = await client.ExecuteAsync("adclicks", ".show table AdMinuteAggregates ingestion json mappings", cancellationToken: Cancel);

        var table = Assert.Single(result.Tables);
        Assert.Same(table, result.Primary);
        Assert.Equal("Table_0", table.Name);
        Assert.Equal(["Name", "Kind", "Mapping", "LastUpdatedOn", "Database", "Table"], table.Columns.Select(c => c.Name));
        Assert.Equal("datetime", table.Columns[table.Ordinal("LastUpdatedOn")].Type);
        var row = Assert.Single(table.Rows);
        Assert.Equal("AdMinuteAggregatesJson", table.Text(row, "Name"));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 12, 44, TimeSpan.Zero).AddTicks(1234567), row[table.Ordinal("LastUpdatedOn")].GetDateTimeOffset());
        Assert.Equal(handler.Requests[0].Headers.GetValues("x-ms-client-request-id").Single(), result.RequestId);
    }

    [Fact]
    public async Task Execute_ThrottledThenResult_RetriedWithANewRequestId()
    {
        var (client, handler, _) = Create((HttpStatusCode.TooManyRequests, "throttled.json"), (HttpStatusCode.OK, "mgmt-streaming-policy.json"));

        var result = await client.ExecuteAsync("adclicks", ".show table AdMinuteAggregates policy streamingingestion", cancellationToken: Cancel);

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(2, handler.Requests.Select(r => r.Headers.GetValues("x-ms-client-request-id").Single()).Distinct().Count());
        Assert.Equal("StreamingIngestionPolicy", result.Primary.Text(result.Primary.Rows[0], "PolicyName"));
    }

    [Fact]
    public async Task Execute_PermanentBadRequest_NoRetryAndTheServersMessage()
    {
        var (client, handler, _) = Create((HttpStatusCode.BadRequest, "mgmt-bad-request.json"), (HttpStatusCode.OK, "mgmt-mappings.json"));

        var error = await Assert.ThrowsAsync<KustoException>(() => client.ExecuteAsync("adclicks", ".show table AdMinuteAggregatez ingestion json mappings", cancellationToken: Cancel));

        Assert.Single(handler.Requests);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("General_BadRequest", error.Code);
        Assert.True(error.IsPermanent);
        Assert.False(error.IsTransient);
        Assert.Contains("does not refer to any known table", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("truncated.json")]
    [InlineData("result.json")]
    public async Task Execute_SuccessWithoutV1Tables_KustoException(string frames)
    {
        var (client, _, _) = Create((HttpStatusCode.OK, frames));

        var error = await Assert.ThrowsAsync<KustoException>(() => client.ExecuteAsync("adclicks", ".show database schema as json", cancellationToken: Cancel));

        Assert.Contains("no Tables", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_AQueryInsteadOfACommand_RefusedBeforeAnyRequest()
    {
        var (client, handler, _) = Create((HttpStatusCode.OK, "mgmt-mappings.json"));

        await Assert.ThrowsAsync<ArgumentException>(() => client.ExecuteAsync("adclicks", "AdMinuteAggregates | take 1", cancellationToken: Cancel));

        Assert.Empty(handler.Requests);
    }
}
