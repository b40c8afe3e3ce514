using System.Buffers;
using System.Text.Json;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// Minute rows as MultiJSON for the mapping AdMinuteAggregatesJson: one object per line, the table's column names
/// as properties (the mapping's paths), cut into request bodies of at most a given size.
/// </summary>
internal static class KustoMinuteCountSerializer
{
    // About what a row takes (measured: see docs/benchmarks.md), to size a body's buffer once.
    private const int TypicalRowBytes = 290;

    private static readonly JsonEncodedText AdId = JsonEncodedText.Encode("AdId");
    private static readonly JsonEncodedText Shard = JsonEncodedText.Encode("Shard");
    private static readonly JsonEncodedText CampaignId = JsonEncodedText.Encode("CampaignId");
    private static readonly JsonEncodedText AdvertiserId = JsonEncodedText.Encode("AdvertiserId");
    private static readonly JsonEncodedText Minute = JsonEncodedText.Encode("Minute");
    private static readonly JsonEncodedText Clicks = JsonEncodedText.Encode("Clicks");
    private static readonly JsonEncodedText Impressions = JsonEncodedText.Encode("Impressions");
    private static readonly JsonEncodedText Version = JsonEncodedText.Encode("Version");
    private static readonly JsonEncodedText WrittenAt = JsonEncodedText.Encode("WrittenAt");

    /// <summary>The rows in order, in bodies of at most <paramref name="maxBytes"/> each, made one at a time as they are enumerated.</summary>
    public static IEnumerable<Batch> Batches(MinuteCountRow[] rows, DateTimeOffset writtenAt, int maxBytes)
    {
        var row = new ArrayBufferWriter<byte>(512);
        using var json = new Utf8JsonWriter(row);
        var written = writtenAt.UtcDateTime;
        var body = NewBody(rows.Length, maxBytes);
        var first = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            row.ResetWrittenCount();
            json.Reset(row);
            Write(json, rows[i], written);
            json.Flush();
            row.GetSpan(1)[0] = (byte)'\n';
            row.Advance(1);
            if (row.WrittenCount > maxBytes)
            {
                throw new InvalidOperationException($"A minute row takes {row.WrittenCount} bytes, more than a request's {maxBytes}.");
            }

            if (body.WrittenCount + row.WrittenCount > maxBytes)
            {
                yield return new Batch(body.WrittenMemory, new ArraySegment<MinuteCountRow>(rows, first, i - first));
                body = NewBody(rows.Length - i, maxBytes);
                first = i;
            }

            body.Write(row.WrittenSpan);
        }

        if (body.WrittenCount > 0)
        {
            yield return new Batch(body.WrittenMemory, new ArraySegment<MinuteCountRow>(rows, first, rows.Length - first));
        }
    }

    // With a margin over the typical row, so a full body never grows its buffer (a doubling copy of megabytes).
    private static ArrayBufferWriter<byte> NewBody(int rowsLeft, int maxBytes) =>
        new((int)Math.Min(maxBytes, (long)rowsLeft * (TypicalRowBytes + 64)));

    private static void Write(Utf8JsonWriter json, MinuteCountRow row, DateTime writtenAt)
    {
        json.WriteStartObject();
        json.WriteString(AdId, row.AdId);
        json.WriteNumber(Shard, row.Shard);
        json.WriteString(CampaignId, row.CampaignId);
        json.WriteString(AdvertiserId, row.AdvertiserId);
        json.WriteString(Minute, MinuteBucket.Of(row.Minute).UtcDateTime);
        json.WriteNumber(Clicks, row.Clicks);
        json.WriteNumber(Impressions, row.Impressions);
        json.WriteNumber(Version, row.Version);
        json.WriteString(WrittenAt, writtenAt);
        json.WriteEndObject();
    }

    /// <summary>One request's body and the rows in it.</summary>
    public sealed record Batch(ReadOnlyMemory<byte> Json, IReadOnlyList<MinuteCountRow> Rows);
}
