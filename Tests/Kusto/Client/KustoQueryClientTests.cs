using System.Net;
using System.Text.Json;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Tests.Kusto.Client;

[Trait("Category", "Kusto")]
public sealed class KustoQueryClientTests
{
    private const string Cluster = "https://adclicks.westeurope.kusto.windows.net";
    private static readonly Guid Ad = Guid.Parse("6f1c2b1e-3a47-4f0e-9d1a-2b7c8e9f0a11");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly KustoParameter[] Parameters =
    [
        KustoParameter.String("campaignId", "spring'; .drop table AdMinutes"),
        KustoParameter.Long("minClicks", 5_000_000_000),
        KustoParameter.Int("shard", 3),
        KustoParameter.DateTime("since", new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.FromHours(1))),
        KustoParameter.Guid("adId", Ad),
        KustoParameter.Bool("live", true),
    ];

    private static (KustoQueryClient Client, RecordingKustoHandler Handler, ScopeRecordingCredential Credential) Create(params (HttpStatusCode, string)[] responses)
    {
        var handler = new RecordingKustoHandler(responses);
        var credential = new ScopeRecordingCredential();
        var connection = KustoConnection.Parse("ConnectionStrings:Kusto", $"Data Source={Cluster};Initial Catalog=adclicks", () => credential);
        var client = new KustoQueryClient(new HttpClient(handler), connection, new KustoClientOptions { RetryDelay = TimeSpan.Zero, MaxRetryAttempts = 3 });
        return (client, handler, credential);
    }

    private static Task<KustoQueryResult> Query(KustoQueryClient client) =>
        client.QueryAsync("adclicks", "AdMinutes | where AdId == adId | take 10", Parameters,
            new KustoQueryOptions { ServerTimeout = TimeSpan.FromSeconds(45), MaxRecords = 1000 }, Cancel);

    [Fact]
    public async Task Query_Request_PathHeadersAndBodyWithDeclaredParameters()
    {
        var (client, handler, credential) = Create((HttpStatusCode.OK, "result.json"));

        await Query(client);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri($"{Cluster}/v2/rest/query"), request.Uri);
        Assert.Equal($"Bearer {ScopeRecordingCredential.Token}", request.Headers.Authorization!.ToString());
        Assert.Equal("application/json", Assert.Single(request.Headers.Accept).MediaType);
        Assert.Equal("application/json; charset=utf-8", request.ContentType!.ToString());
        Assert.Equal("Orleans.AdClicks", Assert.Single(request.Headers.GetValues("x-ms-app")));
        var requestId = Assert.Single(request.Headers.GetValues("x-ms-client-request-id"));
        Assert.StartsWith("Orleans.AdClicks;", requestId, StringComparison.Ordinal);
        Assert.True(Guid.TryParse(requestId["Orleans.AdClicks;".Length..], out _));
        Assert.Equal([$"{Cluster}/.default"], credential.Scopes);

        using var body = JsonDocument.Parse(request.Body);
        using var expected = JsonDocument.Parse(
            """{"db":"adclicks","csl":"declare query_parameters(campaignId:string, minClicks:long, shard:int, since:datetime, adId:guid, live:bool);\nAdMinutes | where AdId == adId | take 10","properties":{"Options":{"servertimeout":"00:00:45","truncationmaxrecords":1000,"request_readonly":true},"Parameters":{"campaignId":"spring'; .drop table AdMinutes","minClicks":"5000000000","shard":"int(3)","since":"datetime(2026-01-01T10:00:00.0000000Z)","adId":"guid(6f1c2b1e-3a47-4f0e-9d1a-2b7c8e9f0a11)","live":"bool(true)"}}}""");
        Assert.True(JsonElement.DeepEquals(expected.RootElement, body.RootElement), request.Body);
    }

    [Fact]
    public async Task Query_EachRequest_ANewRequestId()
    {
        var (client, handler, _) = Create((HttpStatusCode.OK, "result.json"));

        await Query(client);
        await Query(client);

        var ids = handler.Requests.Select(r => Assert.Single(r.Headers.GetValues("x-ms-client-request-id"))).ToList();
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Fact]
    public async Task Query_Result_PrimaryColumnsRowsAndNulls()
    {
        var (client, _, _) = Create((HttpStatusCode.OK, "result.json"));

        var result = await Query(client);

        Assert.Equal(["AdId", "Minute", "Clicks", "Shard", "CampaignId", "Ctr", "Live", "Extra"], result.Columns.Select(c => c.Name));
        Assert.Equal(["guid", "datetime", "long", "int", "string", "real", "bool", "dynamic"], result.Columns.Select(c => c.Type));
        Assert.Equal(2, result.Rows.Count);
        var row = result.Rows[0];
        Assert.Equal(Ad, row[result.Ordinal("AdId")].GetGuid());
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), row[result.Ordinal("Minute")].GetDateTimeOffset());
        Assert.Equal(42, row[result.Ordinal("Clicks")].GetInt64());
        Assert.Equal(3, row[result.Ordinal("Shard")].GetInt32());
        Assert.Equal("spring-sale", row[result.Ordinal("CampaignId")].GetString());
        Assert.Equal(0.021, row[result.Ordinal("Ctr")].GetDouble());
        Assert.True(row[result.Ordinal("Live")].GetBoolean());
        Assert.Equal("beacon", row[result.Ordinal("Extra")].GetProperty("source").GetString());
        Assert.All(result.Rows[1], cell => Assert.Equal(JsonValueKind.Null, cell.ValueKind));
        Assert.Throws<KeyNotFoundException>(() => result.Ordinal("Impressions"));
    }

    [Fact]
    public async Task Query_ProgressiveFrames_FragmentsAssembledAndReplaced()
    {
        var (client, _, _) = Create((HttpStatusCode.OK, "progressive.json"));

        var result = await Query(client);

        var row = Assert.Single(result.Rows);
        Assert.Equal(42, row[result.Ordinal("Clicks")].GetInt64());
    }

    [Theory]
    [InlineData("partial-failure.json", "Query result set has exceeded the internal record count limit 500000")]
    [InlineData("completion-information-error.json", "Partial query failure: An unexpected error occurred on shard 7 (E_RUNAWAY_QUERY).")]
    [InlineData("has-errors.json", "Query execution has exceeded the allowed limits (80DA0003)")]
    [InlineData("cancelled.json", "cancelled")]
    [InlineData("table-completion-errors.json", "Partial query failure: Low memory condition.")]
    [InlineData("error-row.json", "The results of this query exceed the set limit of 500000 records.")]
    [InlineData("no-completion.json", "ended before DataSetCompletion")]
    [InlineData("truncated.json", "ended before DataSetCompletion")]
    public async Task Query_ErrorInsideA200_KustoExceptionWithTheServersMessageAndNoRetry(string frames, string message)
    {
        var (client, handler, _) = Create((HttpStatusCode.OK, frames));

        var error = await Assert.ThrowsAsync<KustoException>(() => Query(client));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.Equal(Assert.Single(handler.Requests).Headers.GetValues("x-ms-client-request-id").Single(), error.RequestId);
    }

    [Fact]
    public async Task Query_ThrottledThenServerErrorThenResult_RetriedUntilTheResult()
    {
        var (client, handler, _) = Create(
            (HttpStatusCode.TooManyRequests, "throttled.json"),
            (HttpStatusCode.ServiceUnavailable, "server-error.json"),
            (HttpStatusCode.OK, "result.json"));

        var result = await Query(client);

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(2, result.Rows.Count);
        Assert.Equal(3, handler.Requests.Select(r => r.Headers.GetValues("x-ms-client-request-id").Single()).Distinct().Count());
        Assert.Equal(handler.Requests[^1].Headers.GetValues("x-ms-client-request-id").Single(), result.RequestId);
    }

    [Fact]
    public async Task Query_NetworkErrorThenResult_Retried()
    {
        var (client, handler, _) = Create((RecordingKustoHandler.ConnectionReset, ""), (HttpStatusCode.OK, "result.json"));

        var result = await Query(client);

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(2, result.Rows.Count);
    }

    [Fact]
    public async Task Query_AlwaysThrottled_GivesUpAfterTheRetriesWithTheServersMessage()
    {
        var (client, handler, _) = Create((HttpStatusCode.TooManyRequests, "throttled.json"));

        var error = await Assert.ThrowsAsync<KustoException>(() => Query(client));

        Assert.Equal(1 + 3, handler.Requests.Count);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal("TooManyRequests", error.Code);
        Assert.Contains("Request throttled: the cluster is at its concurrent query limit.", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsPermanent);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "bad-request.json", "General_BadRequest", "Syntax error: SYN0002")]
    [InlineData(HttpStatusCode.InternalServerError, "permanent-server-error.json", "Internal_Error", "Database 'adclicks' was not found.")]
    [InlineData(HttpStatusCode.Forbidden, "server-error.json", "ServiceUnavailable", "Node is restarting.")]
    public async Task Query_PermanentOrOther4xx_NoRetryAndTheServersError(HttpStatusCode status, string frames, string code, string message)
    {
        var (client, handler, _) = Create((status, frames), (HttpStatusCode.OK, "result.json"));

        var error = await Assert.ThrowsAsync<KustoException>(() => Query(client));

        Assert.Single(handler.Requests);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(handler.Requests[0].Headers.GetValues("x-ms-client-request-id").Single(), error.RequestId);
    }

    [Theory]
    [InlineData("to")]
    [InlineData("1st")]
    [InlineData("ad id")]
    [InlineData("x);print 1;declare query_parameters(y")]
    [InlineData("")]
    public void Parameter_NameThatIsNoUsableIdentifier_Refused(string name) =>
        Assert.Throws<ArgumentException>(() => KustoParameter.String(name, "v"));

    [Fact]
    public async Task Query_SameParameterTwice_RefusedBeforeAnyRequest()
    {
        var (client, handler, _) = Create((HttpStatusCode.OK, "result.json"));

        await Assert.ThrowsAsync<ArgumentException>(() => client.QueryAsync("adclicks", "print x",
            [KustoParameter.Long("x", 1), KustoParameter.Long("x", 2)], new KustoQueryOptions(), Cancel));

        Assert.Empty(handler.Requests);
    }
}
