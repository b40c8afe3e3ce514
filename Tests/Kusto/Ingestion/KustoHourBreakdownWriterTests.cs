using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Kusto;
using Orleans.AdClicks.Storage.Kusto.Client;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tests.Kusto.Client;

namespace Orleans.AdClicks.Tests.Kusto.Ingestion;

/// <summary>The breakdown rows' writer against served streaming-ingestion responses: what it sends, how it retries, its bound.</summary>
[Trait("Category", "Kusto")]
public sealed class KustoHourBreakdownWriterTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Hour = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Campaign = Guid.Parse("0b8f6c1d-2e3a-4b5c-8d7e-9f0a1b2c3d4e");
    private static readonly Guid Advertiser = Guid.Parse("a1b2c3d4-e5f6-4711-8899-aabbccddeeff");

    private readonly FakeTimeProvider _time = new(Hour.AddMinutes(5));
    private readonly List<KustoHourBreakdownWriter> _writers = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var writer in _writers)
        {
            await writer.DisposeAsync();
        }
    }

    [Fact]
    public async Task Commit_Rows_StreamedIntoTheTableThroughItsMappingWithTheSchemasColumns()
    {
        var handler = new ScriptedIngestHandler();
        var writer = Create(handler);
        var ad = Guid.NewGuid();

        await writer.WriteBreakdownsAsync([Row(ad, BreakdownDimension.Os, "iOS", clicks: 3, version: 7)], Cancel);
        await AdvanceUntil(() => writer.PendingRows == 0);

        var request = Assert.Single(handler.Requests);
        Assert.Contains($"/v1/rest/ingest/adclicks/{KustoBreakdownTable.Name}", request.Uri.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains($"mappingName={KustoBreakdownTable.JsonMapping}", request.Uri.Query, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(request.Body.Trim());
        var row = json.RootElement;
        Assert.Equal(
            KustoSchemaDefinition.Schema[KustoBreakdownTable.Name].MappingColumns,
            row.EnumerateObject().Select(p => p.Name));
        Assert.Equal((ad, "os", "iOS", 3L, 7L), (row.GetProperty("AdId").GetGuid(), row.GetProperty("Dimension").GetString(), row.GetProperty("Value").GetString(),
            row.GetProperty("Clicks").GetInt64(), row.GetProperty("Version").GetInt64()));
        Assert.Equal(Hour, row.GetProperty("Hour").GetDateTimeOffset());
    }

    [Fact]
    public async Task Commit_FailsThenSucceeds_TheHighestVersionOfEachRowIngested()
    {
        var handler = new ScriptedIngestHandler((n, _, _) => Task.FromResult(n == 1
            ? ScriptedIngestHandler.Response(HttpStatusCode.ServiceUnavailable, "server-error.json")
            : ScriptedIngestHandler.Response(HttpStatusCode.OK, "ingest-ok.json")));
        var writer = Create(handler, o => o.RetryDelay = TimeSpan.FromSeconds(30));
        var ad = Guid.NewGuid();
        await writer.WriteBreakdownsAsync([Row(ad, BreakdownDimension.Device, "mobile", clicks: 1, version: 1)], Cancel);
        await AdvanceUntil(() => handler.Requests.Count == 1);

        await writer.WriteBreakdownsAsync([Row(ad, BreakdownDimension.Device, "mobile", clicks: 2, version: 2), Row(ad, BreakdownDimension.Device, "mobile", clicks: 9, version: 0)], Cancel);
        await AdvanceUntil(() => writer.PendingRows == 0);

        var ingested = handler.Requests.Where(r => r.Succeeded).Select(r => JsonDocument.Parse(r.Body.Trim()).RootElement).ToList();
        Assert.False(handler.Requests.First().Succeeded);
        Assert.Equal([(2L, 2L)], ingested.Select(r => (r.GetProperty("Clicks").GetInt64(), r.GetProperty("Version").GetInt64())));
    }

    [Fact]
    public async Task Write_BeyondThePendingBound_RefusedAsABacklog_PendingVersionKnown()
    {
        var release = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = Create(new ScriptedIngestHandler((_, _, _) => release.Task), o => o.MaxPendingRows = 2);
        var ad = Guid.NewGuid();
        await writer.WriteBreakdownsAsync([Row(ad, BreakdownDimension.Device, "mobile", 1, 5), Row(ad, BreakdownDimension.Device, "desktop", 1, 6)], Cancel);

        var refused = await Assert.ThrowsAsync<KustoBacklogFullException>(() => writer.WriteBreakdownsAsync([Row(ad, BreakdownDimension.Device, "tablet", 1, 7)], Cancel));
        await writer.WriteBreakdownsAsync([Row(ad, BreakdownDimension.Device, "mobile", 2, 8)], Cancel);

        Assert.IsAssignableFrom<AggregateBacklogFullException>(refused);
        Assert.Equal(8, writer.PendingLatestVersion(new AdKey(ad, 0)));
        Assert.Null(writer.PendingLatestVersion(new AdKey(ad, 1)));
        release.SetResult(ScriptedIngestHandler.Response(HttpStatusCode.OK, "ingest-ok.json"));
    }

    private static HourBreakdownRow Row(Guid ad, BreakdownDimension dimension, string value, long clicks, long version) =>
        new(ad, 0, Campaign, Advertiser, Hour, dimension, value, clicks, clicks * 10, version);

    private KustoHourBreakdownWriter Create(ScriptedIngestHandler handler, Action<KustoIngestionOptions>? configure = null)
    {
        var connection = KustoConnection.Parse("ConnectionStrings:Kusto", "Data Source=https://adclicks.westeurope.kusto.windows.net;Initial Catalog=adclicks", () => new ScopeRecordingCredential());
        var client = new KustoIngestClient(new HttpClient(handler), connection, new KustoClientOptions { MaxRetryAttempts = 0 }, _time);
        var options = new KustoIngestionOptions();
        configure?.Invoke(options);
        var writer = new KustoHourBreakdownWriter(client, Options.Create(options), _time, NullLogger<KustoHourBreakdownWriter>.Instance);
        _writers.Add(writer);
        return writer;
    }

    // The loop may not wait on its timer yet when time moves, so time moves a step at a time until the condition holds.
    private Task AdvanceUntil(Func<bool> done) => Eventually.MatchesAsync(() =>
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return Task.FromResult(done());
    }, d => d);
}
