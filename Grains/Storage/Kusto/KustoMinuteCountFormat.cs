using System.Text.Json;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>Minute rows as the table AdMinuteAggregates takes them, one per ad shard and minute.</summary>
internal sealed class KustoMinuteCountFormat : KustoRowFormat<MinuteCountRow, DateTimeOffset>
{
    public static readonly KustoMinuteCountFormat Instance = new();

    /// <summary>The invalid-click columns of AdMinuteAggregates, in reason order (expiredToken, knownCrawler, tooEarly, addressFlood, campaignFlood).</summary>
    public static readonly IReadOnlyList<string> InvalidColumns =
        ["InvalidExpiredToken", "InvalidKnownCrawler", "InvalidTooEarly", "InvalidAddressFlood", "InvalidCampaignFlood"];

    private static readonly JsonEncodedText AdId = JsonEncodedText.Encode("AdId");
    private static readonly JsonEncodedText Shard = JsonEncodedText.Encode("Shard");
    private static readonly JsonEncodedText CampaignId = JsonEncodedText.Encode("CampaignId");
    private static readonly JsonEncodedText AdvertiserId = JsonEncodedText.Encode("AdvertiserId");
    private static readonly JsonEncodedText Minute = JsonEncodedText.Encode("Minute");
    private static readonly JsonEncodedText Clicks = JsonEncodedText.Encode("Clicks");
    private static readonly JsonEncodedText Impressions = JsonEncodedText.Encode("Impressions");
    private static readonly JsonEncodedText VersionProperty = JsonEncodedText.Encode("Version");
    private static readonly JsonEncodedText WrittenAt = JsonEncodedText.Encode("WrittenAt");
    private static readonly JsonEncodedText[] Invalid = [.. InvalidColumns.Select(c => JsonEncodedText.Encode(c))];

    private KustoMinuteCountFormat()
    {
    }

    public override string Table => KustoAggregateTable.Name;

    public override string JsonMapping => KustoAggregateTable.JsonMapping;

    public override string RowName => "minute row";

    public override string LeftPendingRemedy => "the hourly reconciliation rewrites them";

    // About what a row takes (measured: see docs/benchmarks.md), with the invalid-click columns.
    protected override int TypicalRowBytes => 407;

    public override AdKey Key(MinuteCountRow row) => new(row.AdId, row.Shard);

    public override DateTimeOffset Position(MinuteCountRow row) => MinuteBucket.Of(row.Minute);

    public override long Version(MinuteCountRow row) => row.Version;

    protected override void Write(Utf8JsonWriter json, MinuteCountRow row, DateTime writtenAt)
    {
        json.WriteStartObject();
        json.WriteString(AdId, row.AdId);
        json.WriteNumber(Shard, row.Shard);
        json.WriteString(CampaignId, row.CampaignId);
        json.WriteString(AdvertiserId, row.AdvertiserId);
        json.WriteString(Minute, MinuteBucket.Of(row.Minute).UtcDateTime);
        json.WriteNumber(Clicks, row.Clicks);
        json.WriteNumber(Impressions, row.Impressions);
        json.WriteNumber(VersionProperty, row.Version);
        json.WriteString(WrittenAt, writtenAt);
        json.WriteNumber(Invalid[0], row.InvalidClicks.ExpiredToken);
        json.WriteNumber(Invalid[1], row.InvalidClicks.KnownCrawler);
        json.WriteNumber(Invalid[2], row.InvalidClicks.TooEarly);
        json.WriteNumber(Invalid[3], row.InvalidClicks.AddressFlood);
        json.WriteNumber(Invalid[4], row.InvalidClicks.CampaignFlood);
        json.WriteEndObject();
    }
}
