using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
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

[Trait("Category", "Kusto")]
public sealed class KustoMinuteCountWriterTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 30, TimeSpan.Zero);
    private static readonly Guid Campaign = Guid.Parse("0b8f6c1d-2e3a-4b5c-8d7e-9f0a1b2c3d4e");
    private static readonly Guid Advertiser = Guid.Parse("a1b2c3d4-e5f6-4711-8899-aabbccddeeff");

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeLogger<KustoMinuteCountWriter> _logger = new();
    private readonly List<KustoMinuteCountWriter> _writers = [];

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
    public async Task Write_WhileIngestionHangs_ReturnsAtOnceAndTheRowsWait()
    {
        var release = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedIngestHandler((_, _, _) => release.Task);
        var writer = Create(handler);
        await writer.WriteAsync([Row(Ad(1), 0, clicks: 1, version: 1)], Cancel);
        await AdvanceUntil(() => handler.Count == 1);

        var write = writer.WriteAsync([Row(Ad(2), 0, clicks: 2, version: 1)], Cancel);

        Assert.True(write.IsCompletedSuccessfully);
        Assert.Equal(2, writer.PendingRows);
        release.SetResult(ScriptedIngestHandler.Response(HttpStatusCode.OK, "ingest-ok.json"));
    }

    [Fact]
    public async Task Commit_MoreRowsThanOneRequestHolds_SplitUnderTheByteLimitEachRowOnce()
    {
        var handler = new ScriptedIngestHandler();
        var writer = Create(handler, o => o.MaxRequestBytes = 1_200);
        var rows = Enumerable.Range(1, 20).Select(i => Row(Ad(i), 0, clicks: i, version: 1)).ToArray();

        await writer.WriteAsync(rows, Cancel);
        await AdvanceUntil(() => writer.PendingRows == 0);

        Assert.True(handler.Requests.Count >= 5, $"{handler.Requests.Count} requests");
        Assert.All(handler.Requests, r => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(r.Body), 1, 1_200));
        var ingested = handler.Requests.SelectMany(r => Parse(r.Body)).ToList();
        Assert.Equal(rows.Select(r => r.AdId).Order(), ingested.Select(r => r.AdId).Order());
    }

    [Fact]
    public async Task Commit_IngestionFailsThenSucceeds_RowsKeptThenTheHighestVersionOfEachIngestedOnce()
    {
        var handler = new ScriptedIngestHandler((n, _, _) => Task.FromResult(n == 1
            ? ScriptedIngestHandler.Response(HttpStatusCode.ServiceUnavailable, "server-error.json")
            : ScriptedIngestHandler.Response(HttpStatusCode.OK, "ingest-ok.json")));
        // A backoff far longer than the steps that bring the first commit, so no retry comes before the new version.
        var writer = Create(handler, o => (o.RetryDelay, o.MaxRetryDelay) = (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)));
        await writer.WriteAsync([Row(Ad(1), 0, clicks: 1, version: 1), Row(Ad(2), 0, clicks: 5, version: 1)], Cancel);
        await AdvanceUntil(() => handler.Requests.Count == 1);
        Assert.Equal(2, writer.PendingRows);

        await writer.WriteAsync([Row(Ad(1), 0, clicks: 3, version: 2), Row(Ad(1), 0, clicks: 2, version: 1)], Cancel);
        await AdvanceUntil(() => writer.PendingRows == 0, TimeSpan.FromMinutes(1));
        _time.Advance(TimeSpan.FromSeconds(5));

        var succeeded = Assert.Single(handler.Requests, r => r.Succeeded);
        var ingested = Parse(succeeded.Body).OrderBy(r => r.Clicks).ToList();
        Assert.Equal([(Ad(1), 3L, 2L), (Ad(2), 5L, 1L)], ingested.Select(r => (r.AdId, r.Clicks, r.Version)));
        Assert.Contains(_logger.Collector.GetSnapshot(), l => l.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Commit_NewerVersionWrittenWhileItsRequestIsInFlight_StaysPendingAndGoesNext()
    {
        var first = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedIngestHandler((n, _, _) => n == 1 ? first.Task : Task.FromResult(ScriptedIngestHandler.Response(HttpStatusCode.OK, "ingest-ok.json")));
        var writer = Create(handler);
        await writer.WriteAsync([Row(Ad(1), 0, clicks: 1, version: 1)], Cancel);
        await AdvanceUntil(() => handler.Count == 1);

        await writer.WriteAsync([Row(Ad(1), 0, clicks: 4, version: 2)], Cancel);
        first.SetResult(ScriptedIngestHandler.Response(HttpStatusCode.OK, "ingest-ok.json"));
        await Eventually.MatchesAsync(() => Task.FromResult(handler.Requests.Count), c => c == 1);

        Assert.Equal(1, writer.PendingRows);
        Assert.Equal(2, writer.PendingLatestVersion(new AdKey(Ad(1), 0)));
        await AdvanceUntil(() => writer.PendingRows == 0);
        Assert.Equal((4L, 2L), Parse(handler.Requests.Last().Body).Select(r => (r.Clicks, r.Version)).Single());
        Assert.Null(writer.PendingLatestVersion(new AdKey(Ad(1), 0)));
    }

    [Fact]
    public async Task Write_PendingSetFull_ThrowsForNewRowsButTakesNewerVersionsOfWaitingOnes()
    {
        var writer = Create(new ScriptedIngestHandler(), o => o.MaxPendingRows = 3);
        await writer.WriteAsync([Row(Ad(1), 0, 1, 1), Row(Ad(2), 0, 1, 1), Row(Ad(3), 0, 1, 1)], Cancel);

        var refused = await Assert.ThrowsAsync<KustoBacklogFullException>(() => writer.WriteAsync([Row(Ad(4), 0, 1, 1)], Cancel));
        await writer.WriteAsync([Row(Ad(2), 0, 9, 2)], Cancel);

        Assert.Contains("MaxPendingRows", refused.Message, StringComparison.Ordinal);
        Assert.Equal(3, writer.PendingRows);
        Assert.Equal(2, writer.PendingLatestVersion(new AdKey(Ad(2), 0)));
        Assert.Null(writer.PendingLatestVersion(new AdKey(Ad(4), 0)));
    }

    [Fact]
    public async Task Dispose_RowsPending_CommitsThemBeforeStopping()
    {
        var handler = new ScriptedIngestHandler();
        var writer = Create(handler, o => o.CommitInterval = TimeSpan.FromHours(1));
        await writer.WriteAsync([Row(Ad(1), 0, 1, 1), Row(Ad(1), 1, 2, 1)], Cancel);

        await writer.DisposeAsync();

        Assert.Equal(0, writer.PendingRows);
        Assert.Equal([0, 1], Parse(Assert.Single(handler.Requests).Body).Select(r => r.Shard).Order());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.WriteAsync([Row(Ad(2), 0, 1, 1)], Cancel));
    }

    [Fact]
    public async Task Dispose_IngestionHangs_GivesUpAfterTheTimeoutAndLogsWhatIsLeft()
    {
        var handler = new ScriptedIngestHandler(async (_, _, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return ScriptedIngestHandler.Response(HttpStatusCode.OK, "ingest-ok.json");
        });
        var writer = Create(handler, o => o.CommitInterval = TimeSpan.FromHours(1));
        await writer.WriteAsync([Row(Ad(1), 0, 1, 1)], Cancel);

        var disposing = writer.DisposeAsync().AsTask();
        await Eventually.MatchesAsync(() => Task.FromResult(handler.Count), c => c == 1);
        _time.Advance(new KustoIngestionOptions().DisposeTimeout);
        await disposing.WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        Assert.Equal(1, writer.PendingRows);
        Assert.Contains(_logger.Collector.GetSnapshot(), l => l.Level == LogLevel.Error && l.Message.Contains("left 1 minute rows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Commit_MappingMissing_LoggedCriticalRowsKeptAndRetried()
    {
        var handler = new ScriptedIngestHandler(HttpStatusCode.BadRequest, "ingest-bad-mapping.json");
        var writer = Create(handler);
        await writer.WriteAsync([Row(Ad(1), 0, 1, 1)], Cancel);

        await AdvanceUntil(() => handler.Requests.Count >= 2, TimeSpan.FromSeconds(30));

        Assert.Equal(1, writer.PendingRows);
        // One loud line per refused attempt, each with the service's reason.
        var critical = _logger.Collector.GetSnapshot().Where(l => l.Level == LogLevel.Critical).ToList();
        Assert.True(critical.Count >= 2, $"{critical.Count} critical lines");
        Assert.All(critical, l => Assert.Contains("schema.kql", l.Message, StringComparison.Ordinal));
        Assert.All(critical, l => Assert.Contains("AdMinuteAggregatesJson", l.Exception!.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Commit_OneBodyRefusedPermanently_TheOtherBodiesStillIngested()
    {
        var poisoned = Ad(1).ToString();
        var handler = new ScriptedIngestHandler((_, request, _) => Task.FromResult(request.Body.Contains(poisoned, StringComparison.Ordinal)
            ? ScriptedIngestHandler.Response(HttpStatusCode.BadRequest, "ingest-bad-mapping.json")
            : ScriptedIngestHandler.Response(HttpStatusCode.OK, "ingest-ok.json")));
        var writer = Create(handler, o => (o.MaxRequestBytes, o.MaxConcurrentRequests) = (1_200, 1));
        await writer.WriteAsync([.. Enumerable.Range(1, 12).Select(i => Row(Ad(i), 0, i, 1))], Cancel);

        await AdvanceUntil(() => handler.Requests.Count >= 3);

        var refused = Assert.Single(handler.Requests, r => !r.Succeeded);
        Assert.Equal(Parse(refused.Body).Count, writer.PendingRows);
        Assert.Equal(12, handler.Requests.Sum(r => Parse(r.Body).Count));
    }

    [Fact]
    public async Task Commit_Ingested_CountedOnTheMeter()
    {
        var handler = new ScriptedIngestHandler();
        var writer = Create(handler);
        using var metrics = new MeasurementRecorder(KustoIngestionMetrics.MeterName, [Meters]);

        await writer.WriteAsync([Row(Ad(1), 0, 1, 1), Row(Ad(2), 0, 1, 1)], Cancel);
        await AdvanceUntil(() => writer.PendingRows == 0);

        Assert.Equal(2, metrics.Sum("adclicks.kusto.ingested_rows", "table=AdMinuteAggregates"));
        Assert.Equal(1, metrics.Sum("adclicks.kusto.requests", "outcome=ok,table=AdMinuteAggregates"));
    }

    [Fact]
    public async Task Gauges_RowsWaiting_PendingCountAndTheOldestChangesAge()
    {
        var handler = new ScriptedIngestHandler(HttpStatusCode.ServiceUnavailable, "server-error.json");
        var writer = Create(handler, o => o.CommitInterval = TimeSpan.FromHours(1));
        var observed = new Dictionary<string, double>();
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
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => observed[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => observed[instrument.Name] = value);
        listener.Start();

        await writer.WriteAsync([Row(Ad(1), 0, 1, 1)], Cancel);
        _time.Advance(TimeSpan.FromSeconds(7));
        await writer.WriteAsync([Row(Ad(1), 0, 2, 2), Row(Ad(2), 0, 1, 1)], Cancel);
        _time.Advance(TimeSpan.FromSeconds(3));
        listener.RecordObservableInstruments();

        Assert.Equal(2, observed["adclicks.kusto.pending_rows"]);
        Assert.Equal(10, observed["adclicks.kusto.oldest_pending_age"]);
    }

    [Fact]
    public void Serializer_PropertyNames_AreTheMappingsPaths()
    {
        var batch = Assert.Single(KustoMinuteCountFormat.Instance.Batches([Row(Ad(1), 2, 3, 4)], Start, KustoIngestClient.MaxRequestBytes));

        using var row = JsonDocument.Parse(batch.Json);

        var table = KustoSchemaDefinition.Schema[KustoAggregateTable.Name];
        Assert.Equal(table.MappingColumns, row.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(table.Columns.Select(c => c.Name), row.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Serializer_InvalidClicks_RoundTripEveryReasonInItsColumn()
    {
        var minute = MinuteBucket.Of(Start);
        var rows = new[]
        {
            Row(Ad(1), 0, 2, 4) with { Minute = minute, InvalidClicks = new InvalidClickCounts(1, 2, 3, 4, 5) },
            Row(Ad(2), 1, 0, 5) with { Minute = minute },
        };

        var batch = Assert.Single(KustoMinuteCountFormat.Instance.Batches(rows, Start, KustoIngestClient.MaxRequestBytes));
        var parsed = Parse(Encoding.UTF8.GetString(batch.Json.Span));

        Assert.Equal(rows, parsed);
        using var first = JsonDocument.Parse(Encoding.UTF8.GetString(batch.Json.Span).Split('\n')[0]);
        Assert.Equal([1L, 2, 3, 4, 5], KustoMinuteCountFormat.InvalidColumns.Select(c => first.RootElement.GetProperty(c).GetInt64()));
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Guid Ad(int n) => new($"00000000-0000-4000-8000-{n:D12}");

    private static MinuteCountRow Row(Guid ad, int shard, long clicks, long version) =>
        new(ad, shard, Campaign, Advertiser, Start, clicks, clicks * 10, version);

    private static List<MinuteCountRow> Parse(string multiJson) => [.. multiJson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
    {
        using var json = JsonDocument.Parse(line);
        var r = json.RootElement;
        return new MinuteCountRow(r.GetProperty("AdId").GetGuid(), r.GetProperty("Shard").GetInt32(), r.GetProperty("CampaignId").GetGuid(), r.GetProperty("AdvertiserId").GetGuid(),
            r.GetProperty("Minute").GetDateTimeOffset(), r.GetProperty("Clicks").GetInt64(), r.GetProperty("Impressions").GetInt64(), r.GetProperty("Version").GetInt64(),
            new InvalidClickCounts(
                r.GetProperty("InvalidExpiredToken").GetInt64(), r.GetProperty("InvalidKnownCrawler").GetInt64(), r.GetProperty("InvalidTooEarly").GetInt64(),
                r.GetProperty("InvalidAddressFlood").GetInt64(), r.GetProperty("InvalidCampaignFlood").GetInt64()));
    })];

    private KustoMinuteCountWriter Create(ScriptedIngestHandler handler, Action<KustoIngestionOptions>? configure = null)
    {
        var connection = KustoConnection.Parse("ConnectionStrings:Kusto", "Data Source=https://adclicks.westeurope.kusto.windows.net;Initial Catalog=adclicks", () => new ScopeRecordingCredential());
        // No retries inside the client: the writer's own backoff is under test.
        var client = new KustoIngestClient(new HttpClient(handler), connection, new KustoClientOptions { MaxRetryAttempts = 0 }, _time);
        var options = new KustoIngestionOptions();
        configure?.Invoke(options);
        var writer = new KustoMinuteCountWriter(client, Options.Create(options), new KustoIngestionMetrics(Meters), _time, _logger);
        _writers.Add(writer);
        return writer;
    }

    // The loop may not wait on its timer yet when time moves, so time moves a step at a time until the condition holds.
    private Task AdvanceUntil(Func<bool> done, TimeSpan? step = null) => Eventually.MatchesAsync(() =>
    {
        _time.Advance(step ?? TimeSpan.FromSeconds(1));
        return Task.FromResult(done());
    }, d => d);
}
