using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// Streams a completed run's mismatches into the ADX table ReconciliationMismatches (infra/kusto/schema.kql) as
/// MultiJSON through its mapping, in bodies of at most <see cref="KustoIngestionOptions.MaxRequestBytes"/>. One line
/// per mismatch of the report, so the report's cap (<see cref="ReconciliationReport.MaxMismatchLines"/>) is the
/// table's too. FoundAt is the run's completion; a retried export stamps it anew and may land rows twice, which
/// queries/reconciliation-mismatches.kql folds into one.
/// </summary>
public sealed class KustoReconciliationMismatchLog(KustoIngestClient client, IOptions<KustoIngestionOptions> options) : IReconciliationMismatchLog
{
    /// <summary>The table the mismatches go to.</summary>
    public const string TableName = "ReconciliationMismatches";

    /// <summary>Its JSON ingestion mapping.</summary>
    public const string JsonMapping = "ReconciliationMismatchesJson";

    // About what a line takes (a report of 1,000 lines is ≈ 350 kB).
    private const int TypicalLineBytes = 350;

    private static readonly JsonEncodedText RunId = JsonEncodedText.Encode("RunId");
    private static readonly JsonEncodedText Hour = JsonEncodedText.Encode("Hour");
    private static readonly JsonEncodedText AdId = JsonEncodedText.Encode("AdId");
    private static readonly JsonEncodedText Shard = JsonEncodedText.Encode("Shard");
    private static readonly JsonEncodedText CampaignId = JsonEncodedText.Encode("CampaignId");
    private static readonly JsonEncodedText AdvertiserId = JsonEncodedText.Encode("AdvertiserId");
    private static readonly JsonEncodedText Minute = JsonEncodedText.Encode("Minute");
    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("Kind");
    private static readonly JsonEncodedText Expected = JsonEncodedText.Encode("Expected");
    private static readonly JsonEncodedText Found = JsonEncodedText.Encode("Found");
    private static readonly JsonEncodedText FoundAt = JsonEncodedText.Encode("FoundAt");

    public async Task ExportAsync(ReconciliationReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.CompletedAt is null)
        {
            throw new ArgumentException($"Run {report.RunId} is not complete; only a completed run's mismatches are exported.", nameof(report));
        }

        // Sequential: a report holds at most 1000 lines (≈ 350 kB), one body in practice.
        foreach (var body in Bodies(report, options.Value.MaxRequestBytes))
        {
            await client.StreamMultiJsonAsync(client.Connection.Database, TableName, JsonMapping, body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The report's mismatches in order, one JSON object a line, cut into bodies of at most <paramref name="maxBytes"/>.</summary>
    internal static IEnumerable<ReadOnlyMemory<byte>> Bodies(ReconciliationReport report, int maxBytes) =>
        KustoMultiJson.Bodies(report.Mismatches, maxBytes, TypicalLineBytes, "mismatch line", (json, mismatch) => Write(json, report, mismatch))
            .Select(body => body.Json);

    private static void Write(Utf8JsonWriter json, ReconciliationReport report, ReconciliationMismatch mismatch)
    {
        json.WriteStartObject();
        json.WriteString(RunId, report.RunId);
        json.WriteString(Hour, report.Hour.UtcDateTime);
        json.WriteString(AdId, mismatch.AdId);
        json.WriteNumber(Shard, mismatch.Shard);
        json.WriteString(CampaignId, mismatch.CampaignId);
        json.WriteString(AdvertiserId, mismatch.AdvertiserId);
        json.WriteString(Minute, mismatch.Minute.UtcDateTime);
        // "Click" and "Impression" (billable), or "InvalidClick." and the reason, e.g. "InvalidClick.KnownCrawler".
        json.WriteString(Kind, mismatch.Invalid == InvalidTrafficReason.None ? mismatch.Kind.ToString() : "InvalidClick." + mismatch.Invalid);
        json.WriteNumber(Expected, mismatch.Expected);
        json.WriteNumber(Found, mismatch.Found);
        json.WriteString(FoundAt, report.CompletedAt!.Value.UtcDateTime);
        json.WriteEndObject();
    }
}
