using System.Net;
using System.Text;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Kusto;
using Orleans.AdClicks.Storage.Kusto.Client;
using Orleans.AdClicks.Tests.Kusto.Ingestion;

namespace Orleans.AdClicks.Tests.Kusto.Client;

[Trait("Category", "Kusto")]
public sealed class KustoIngestClientTests
{
    private const string Cluster = "https://adclicks.westeurope.kusto.windows.net";
    private static readonly DateTimeOffset Minute = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly MinuteCountRow[] Rows =
    [
        new(Guid.Parse("6f1c2b1e-3a47-4f0e-9d1a-2b7c8e9f0a11"), 0, Guid.Parse("0b8f6c1d-2e3a-4b5c-8d7e-9f0a1b2c3d4e"), Guid.Parse("a1b2c3d4-e5f6-4711-8899-aabbccddeeff"), Minute, 42, 1_234, 638_999_000_000_000_000),
        new(Guid.Parse("6f1c2b1e-3a47-4f0e-9d1a-2b7c8e9f0a11"), 3, Guid.Parse("0b8f6c1d-2e3a-4b5c-8d7e-9f0a1b2c3d4e"), Guid.Parse("a1b2c3d4-e5f6-4711-8899-aabbccddeeff"), Minute.AddMinutes(1).AddSeconds(17), 0, 7, 638_999_000_000_000_001),
    ];

    private static (KustoIngestClient Client, ScriptedIngestHandler Handler) Create(ScriptedIngestHandler handler)
    {
        var connection = KustoConnection.Parse("ConnectionStrings:Kusto", $"Data Source={Cluster};Initial Catalog=adclicks", () => new ScopeRecordingCredential());
        return (new KustoIngestClient(new HttpClient(handler), connection, new KustoClientOptions { RetryDelay = TimeSpan.Zero, MaxRetryAttempts = 3 }), handler);
    }

    private static Task Ingest(KustoIngestClient client)
    {
        var batch = Assert.Single(KustoMinuteCountFormat.Instance.Batches(Rows, Minute.AddMinutes(2).AddMilliseconds(250), KustoIngestClient.MaxRequestBytes));
        return client.StreamMultiJsonAsync("adclicks", KustoAggregateTable.Name, KustoAggregateTable.JsonMapping, batch.Json, Cancel);
    }

    [Fact]
    public async Task Stream_Request_MatchesTheGoldenFile()
    {
        var (client, handler) = Create(new ScriptedIngestHandler());

        await Ingest(client);

        var request = Assert.Single(handler.Requests);
        var text = new StringBuilder().Append(request.Method).Append(' ').Append(request.Uri.PathAndQuery).Append('\n');
        // The length is of the compressed body, which depends on the zlib build; the body itself is compared below.
        foreach (var (name, value) in request.Headers.Where(h => h.Key != "Content-Length").OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            text.Append(name).Append(": ").Append(Normalised(name, value)).Append('\n');
        }

        text.Append('\n').Append(request.Body);
        Assert.Equal(new Uri($"{Cluster}/v1/rest/ingest/adclicks/AdMinuteAggregates?streamFormat=MultiJSON&mappingName=AdMinuteAggregatesJson"), request.Uri);
        GoldenFile.AssertMatches("Kusto/Ingestion/streaming-ingest.golden.txt", text.ToString());
    }

    [Fact]
    public async Task Stream_ThrottledThenAccepted_Retried()
    {
        var (client, handler) = Create(new ScriptedIngestHandler((n, _, _) => Task.FromResult(n == 1
            ? ScriptedIngestHandler.Response(HttpStatusCode.TooManyRequests, "throttled.json")
            : ScriptedIngestHandler.Response(HttpStatusCode.OK, "ingest-ok.json"))));

        await Ingest(client);

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(handler.Requests.First().Body, handler.Requests.Last().Body);
    }

    [Fact]
    public async Task Stream_MappingNotFound_PermanentAndNotRetried()
    {
        var (client, handler) = Create(new ScriptedIngestHandler(HttpStatusCode.BadRequest, "ingest-bad-mapping.json"));

        var error = await Assert.ThrowsAsync<KustoException>(() => Ingest(client));

        Assert.Single(handler.Requests);
        Assert.True(error.IsPermanent);
        Assert.Equal("BadRequest_MappingReferenceWasNotFound", error.Code);
        Assert.Contains("Mapping reference 'AdMinuteAggregatesJson'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_OverTheServiceLimit_RefusedBeforeAnyRequest()
    {
        var (client, handler) = Create(new ScriptedIngestHandler());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            client.StreamMultiJsonAsync("adclicks", KustoAggregateTable.Name, KustoAggregateTable.JsonMapping, new byte[KustoIngestClient.MaxRequestBytes + 1], Cancel));

        Assert.Equal(0, handler.Count);
    }

    internal static string Normalised(string name, string value) => name.ToLowerInvariant() switch
    {
        "authorization" => value.Replace(ScopeRecordingCredential.Token, "{token}", StringComparison.Ordinal),
        "x-ms-client-request-id" => Guid.TryParse(value[(value.IndexOf(';') + 1)..], out _) ? $"{value[..(value.IndexOf(';') + 1)]}{{guid}}" : value,
        _ => value,
    };
}
