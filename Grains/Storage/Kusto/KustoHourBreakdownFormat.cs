using System.Text.Json;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>Hourly breakdown rows as the table AdHourBreakdowns takes them, one per ad shard, hour, dimension and value.</summary>
internal sealed class KustoHourBreakdownFormat : KustoRowFormat<HourBreakdownRow, (DateTimeOffset Hour, BreakdownDimension Dimension, string Value)>
{
    public static readonly KustoHourBreakdownFormat Instance = new();

    private KustoHourBreakdownFormat()
    {
    }

    public override string Table => KustoBreakdownTable.Name;

    public override string JsonMapping => KustoBreakdownTable.JsonMapping;

    public override string RowName => "hourly breakdown row";

    // Reconciliation compares minute rows only (docs/counting.md, "Hourly breakdowns").
    public override string LeftPendingRemedy => "the ad's next recount of their hour rewrites them, not the hourly reconciliation";

    protected override int TypicalRowBytes => 330;

    public override AdKey Key(HourBreakdownRow row) => new(row.AdId, row.Shard);

    public override (DateTimeOffset Hour, BreakdownDimension Dimension, string Value) Position(HourBreakdownRow row) =>
        (MinuteBucket.Truncate(row.Hour, Granularity.Hour), row.Dimension, row.Value);

    public override long Version(HourBreakdownRow row) => row.Version;

    protected override void Write(Utf8JsonWriter json, HourBreakdownRow row, DateTime writtenAt)
    {
        json.WriteStartObject();
        json.WriteString("AdId", row.AdId);
        json.WriteNumber("Shard", row.Shard);
        json.WriteString("CampaignId", row.CampaignId);
        json.WriteString("AdvertiserId", row.AdvertiserId);
        json.WriteString("Hour", MinuteBucket.Truncate(row.Hour, Granularity.Hour).UtcDateTime);
        json.WriteString("Dimension", row.Dimension.ApiName());
        json.WriteString("Value", row.Value);
        json.WriteNumber("Clicks", row.Clicks);
        json.WriteNumber("Impressions", row.Impressions);
        json.WriteNumber("Version", row.Version);
        json.WriteString("WrittenAt", writtenAt);
        json.WriteEndObject();
    }
}
