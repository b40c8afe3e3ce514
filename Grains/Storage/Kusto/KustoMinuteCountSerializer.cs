using System.Text.Json;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// Minute rows as MultiJSON for the mapping AdMinuteAggregatesJson (<see cref="KustoMultiJson"/>), the table's column
/// names as properties (the mapping's paths).
/// </summary>
internal static class KustoMinuteCountSerializer
{
    // About what a row takes (measured: see docs/benchmarks.md), with the invalid-click columns.
    private const int TypicalRowBytes = 407;

    private static readonly JsonEncodedText AdId = JsonEncodedText.Encode("AdId");
    private static readonly JsonEncodedText Shard = JsonEncodedText.Encode("Shard");
    private static readonly JsonEncodedText CampaignId = JsonEncodedText.Encode("CampaignId");
    private static readonly JsonEncodedText AdvertiserId = JsonEncodedText.Encode("AdvertiserId");
    private static readonly JsonEncodedText Minute = JsonEncodedText.Encode("Minute");
    private static readonly JsonEncodedText Clicks = JsonEncodedText.Encode("Clicks");
    private static readonly JsonEncodedText Impressions = JsonEncodedText.Encode("Impressions");
    private static readonly JsonEncodedText Version = JsonEncodedText.Encode("Version");
    private static readonly JsonEncodedText WrittenAt = JsonEncodedText.Encode("WrittenAt");

    /// <summary>The invalid-click columns of AdMinuteAggregates, in reason order (expiredToken, knownCrawler, tooEarly, addressFlood, campaignFlood).</summary>
    public static readonly IReadOnlyList<string> InvalidColumns =
        ["InvalidExpiredToken", "InvalidKnownCrawler", "InvalidTooEarly", "InvalidAddressFlood", "InvalidCampaignFlood"];

    private static readonly JsonEncodedText[] Invalid = [.. InvalidColumns.Select(c => JsonEncodedText.Encode(c))];

    /// <summary>The rows in order, in bodies of at most <paramref name="maxBytes"/> each, made one at a time as they are enumerated.</summary>
    public static IEnumerable<Batch> Batches(MinuteCountRow[] rows, DateTimeOffset writtenAt, int maxBytes)
    {
        var written = writtenAt.UtcDateTime;
        return KustoMultiJson.Bodies(rows, maxBytes, TypicalRowBytes, "minute row", (json, row) => Write(json, row, written))
            .Select(body => new Batch(body.Json, new ArraySegment<MinuteCountRow>(rows, body.First, body.Count)));
    }

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
        json.WriteNumber(Invalid[0], row.InvalidClicks.ExpiredToken);
        json.WriteNumber(Invalid[1], row.InvalidClicks.KnownCrawler);
        json.WriteNumber(Invalid[2], row.InvalidClicks.TooEarly);
        json.WriteNumber(Invalid[3], row.InvalidClicks.AddressFlood);
        json.WriteNumber(Invalid[4], row.InvalidClicks.CampaignFlood);
        json.WriteEndObject();
    }

    /// <summary>One request's body and the rows in it.</summary>
    public sealed record Batch(ReadOnlyMemory<byte> Json, IReadOnlyList<MinuteCountRow> Rows);
}
