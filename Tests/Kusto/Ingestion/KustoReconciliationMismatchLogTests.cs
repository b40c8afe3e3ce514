using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.Kusto;
using Orleans.AdClicks.Storage.Kusto.Client;
using Orleans.AdClicks.Tests.Kusto.Client;

namespace Orleans.AdClicks.Tests.Kusto.Ingestion;

[Trait("Category", "Kusto")]
public sealed class KustoReconciliationMismatchLogTests
{
    private const string Cluster = "https://adclicks.westeurope.kusto.windows.net";
    private static readonly DateTimeOffset Hour = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Campaign = Guid.Parse("0b8f6c1d-2e3a-4b5c-8d7e-9f0a1b2c3d4e");
    private static readonly Guid Advertiser = Guid.Parse("a1b2c3d4-e5f6-4711-8899-aabbccddeeff");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Export_Report_RequestMatchesTheGoldenFile()
    {
        var handler = new ScriptedIngestHandler();
        var report = Report(
            new ReconciliationMismatch(Guid.Parse("6f1c2b1e-3a47-4f0e-9d1a-2b7c8e9f0a11"), 0, Campaign, Advertiser, Hour.AddMinutes(10), AdEventKind.Click, 0, 7),
            new ReconciliationMismatch(Guid.Parse("6f1c2b1e-3a47-4f0e-9d1a-2b7c8e9f0a11"), 3, Campaign, Advertiser, Hour.AddMinutes(20), AdEventKind.Impression, 2, 0),
            new ReconciliationMismatch(Guid.Parse("6f1c2b1e-3a47-4f0e-9d1a-2b7c8e9f0a11"), 3, Campaign, Advertiser, Hour.AddMinutes(20), AdEventKind.Click, 4, 1, InvalidTrafficReason.KnownCrawler));

        await Log(handler).ExportAsync(report, Cancel);

        var request = Assert.Single(handler.Requests);
        var text = new StringBuilder().Append(request.Method).Append(' ').Append(request.Uri.PathAndQuery).Append('\n');
        // The length is of the compressed body, which depends on the zlib build; the body itself is compared below.
        foreach (var (name, value) in request.Headers.Where(h => h.Key != "Content-Length").OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            text.Append(name).Append(": ").Append(KustoIngestClientTests.Normalised(name, value)).Append('\n');
        }

        text.Append('\n').Append(request.Body);
        Assert.Equal(new Uri($"{Cluster}/v1/rest/ingest/adclicks/ReconciliationMismatches?streamFormat=MultiJSON&mappingName=ReconciliationMismatchesJson"), request.Uri);
        GoldenFile.AssertMatches("Kusto/Ingestion/reconciliation-mismatches.golden.txt", text.ToString());
    }

    [Fact]
    public async Task Export_MoreLinesThanOneBodyHolds_SplitUnderTheLimitEachLineOnceInOrder()
    {
        var handler = new ScriptedIngestHandler();
        var mismatches = Enumerable.Range(1, 30)
            .Select(i => new ReconciliationMismatch(new Guid(i, 0, 0, new byte[8]), i % 4, Campaign, Advertiser, Hour.AddMinutes(i), i % 2 == 0 ? AdEventKind.Click : AdEventKind.Impression, i, 0))
            .ToArray();

        await Log(handler, maxRequestBytes: 1_500).ExportAsync(Report(mismatches), Cancel);

        Assert.True(handler.Requests.Count >= 6, $"{handler.Requests.Count} requests");
        Assert.All(handler.Requests, r => Assert.InRange(Encoding.UTF8.GetByteCount(r.Body), 1, 1_500));
        var lines = handler.Requests.SelectMany(r => r.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(mismatches.Select(m => (m.AdId, m.Expected)), lines.Select(l => (l.GetProperty("AdId").GetGuid(), l.GetProperty("Expected").GetInt64())));
    }

    [Fact]
    public async Task Export_NoMismatches_SendsNothing()
    {
        var handler = new ScriptedIngestHandler();

        await Log(handler).ExportAsync(Report(), Cancel);

        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public async Task Export_RunNotComplete_Refused()
    {
        var handler = new ScriptedIngestHandler();

        await Assert.ThrowsAsync<ArgumentException>(() => Log(handler).ExportAsync(Report() with { CompletedAt = null }, Cancel));
    }

    private static ReconciliationReport Report(params ReconciliationMismatch[] mismatches) =>
        new(Guid.Parse("5d0c4a8e-1f2b-4c3d-9e4f-5a6b7c8d9e0f"), Hour, Hour.AddMinutes(75), Hour.AddMinutes(77).AddMilliseconds(500), AdSlice.Count, 2, 40, mismatches.Length, mismatches.Length, mismatches);

    private static KustoReconciliationMismatchLog Log(ScriptedIngestHandler handler, int maxRequestBytes = KustoIngestClient.MaxRequestBytes)
    {
        var connection = KustoConnection.Parse("ConnectionStrings:Kusto", $"Data Source={Cluster};Initial Catalog=adclicks", () => new ScopeRecordingCredential());
        var client = new KustoIngestClient(new HttpClient(handler), connection, new KustoClientOptions { RetryDelay = TimeSpan.Zero, MaxRetryAttempts = 0 });
        return new KustoReconciliationMismatchLog(client, Options.Create(new KustoIngestionOptions { MaxRequestBytes = maxRequestBytes }));
    }
}
