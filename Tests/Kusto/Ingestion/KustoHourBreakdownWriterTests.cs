using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
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
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<IAsyncDisposable> _writers = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    public async ValueTask DisposeAsync()
    {
        foreach (var writer in _writers)
        {
            await writer.DisposeAsync();
        }

        await _services.DisposeAsync();
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

    [Fact]
    public async Task Metrics_RequestsAndRefusals_CountedUnderTheBreakdownTable()
    {
        var handler = new ScriptedIngestHandler((n, _, _) => Task.FromResult(n == 1
            ? ScriptedIngestHandler.Response(HttpStatusCode.ServiceUnavailable, "server-error.json")
            : ScriptedIngestHandler.Response(HttpStatusCode.OK, "ingest-ok.json")));
        var writer = Create(handler, o => o.MaxPendingRows = 2);
        using var metrics = new MeasurementRecorder(KustoIngestionMetrics.MeterName, [Meters]);
        var ad = Guid.NewGuid();
        await writer.WriteBreakdownsAsync([Row(ad, BreakdownDimension.Device, "mobile", 1, 1), Row(ad, BreakdownDimension.Device, "desktop", 1, 1)], Cancel);
        await Assert.ThrowsAsync<KustoBacklogFullException>(() => writer.WriteBreakdownsAsync([Row(ad, BreakdownDimension.Device, "tablet", 1, 1)], Cancel));

        await AdvanceUntil(() => writer.PendingRows == 0);

        Assert.Equal(
            (1L, 1L, 1L, 2L, 1L),
            (metrics.Sum("adclicks.kusto.requests", "outcome=transient,table=AdHourBreakdowns"), metrics.Sum("adclicks.kusto.failures", "kind=transient,table=AdHourBreakdowns"),
                metrics.Sum("adclicks.kusto.requests", "outcome=ok,table=AdHourBreakdowns"), metrics.Sum("adclicks.kusto.ingested_rows", "table=AdHourBreakdowns"),
                metrics.Sum("adclicks.kusto.refused_rows", "table=AdHourBreakdowns")));
        Assert.Equal(0, metrics.Sum("adclicks.kusto.ingested_rows", "table=AdMinuteAggregates"));
    }

    [Fact]
    public async Task Gauges_BothWritersWaiting_OneMeasurementPerTable()
    {
        var handler = new ScriptedIngestHandler(HttpStatusCode.ServiceUnavailable, "server-error.json");
        var metrics = new KustoIngestionMetrics(Meters);
        var breakdowns = Create(handler, o => o.CommitInterval = TimeSpan.FromHours(1), metrics);
        var minutes = new KustoMinuteCountWriter(Client(handler), Options.Create(new KustoIngestionOptions { CommitInterval = TimeSpan.FromHours(1) }), metrics, _time,
            NullLogger<KustoMinuteCountWriter>.Instance);
        _writers.Add(minutes);
        var pending = new Dictionary<(string Instrument, string? Table), double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == KustoIngestionMetrics.MeterName && instrument.Meter.Scope == Meters)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => pending[(instrument.Name, TableOf(tags))] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => pending[(instrument.Name, TableOf(tags))] = value);
        listener.Start();
        var ad = Guid.NewGuid();

        await breakdowns.WriteBreakdownsAsync([Row(ad, BreakdownDimension.Os, "iOS", 1, 1), Row(ad, BreakdownDimension.Os, "Android", 1, 1), Row(ad, BreakdownDimension.Browser, "Safari", 1, 1)], Cancel);
        _time.Advance(TimeSpan.FromSeconds(4));
        await minutes.WriteAsync([new MinuteCountRow(ad, 0, Campaign, Advertiser, Hour.AddMinutes(5), 1, 10, 1)], Cancel);
        listener.RecordObservableInstruments();

        Assert.Equal(3, pending[("adclicks.kusto.pending_rows", KustoBreakdownTable.Name)]);
        Assert.Equal(1, pending[("adclicks.kusto.pending_rows", KustoAggregateTable.Name)]);
        Assert.Equal(4, pending[("adclicks.kusto.oldest_pending_age", KustoBreakdownTable.Name)]);
        Assert.Equal(0, pending[("adclicks.kusto.oldest_pending_age", KustoAggregateTable.Name)]);
    }

    private static string? TableOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "table")
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    private static HourBreakdownRow Row(Guid ad, BreakdownDimension dimension, string value, long clicks, long version) =>
        new(ad, 0, Campaign, Advertiser, Hour, dimension, value, clicks, clicks * 10, version);

    private KustoHourBreakdownWriter Create(ScriptedIngestHandler handler, Action<KustoIngestionOptions>? configure = null, KustoIngestionMetrics? metrics = null)
    {
        var options = new KustoIngestionOptions();
        configure?.Invoke(options);
        var writer = new KustoHourBreakdownWriter(Client(handler), Options.Create(options), metrics ?? new KustoIngestionMetrics(Meters), _time, NullLogger<KustoHourBreakdownWriter>.Instance);
        _writers.Add(writer);
        return writer;
    }

    // No retries inside the client: the writer's own backoff is under test.
    private KustoIngestClient Client(ScriptedIngestHandler handler)
    {
        var connection = KustoConnection.Parse("ConnectionStrings:Kusto", "Data Source=https://adclicks.westeurope.kusto.windows.net;Initial Catalog=adclicks", () => new ScopeRecordingCredential());
        return new KustoIngestClient(new HttpClient(handler), connection, new KustoClientOptions { MaxRetryAttempts = 0 }, _time);
    }

    // The loop may not wait on its timer yet when time moves, so time moves a step at a time until the condition holds.
    private Task AdvanceUntil(Func<bool> done) => Eventually.MatchesAsync(() =>
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return Task.FromResult(done());
    }, d => d);
}
