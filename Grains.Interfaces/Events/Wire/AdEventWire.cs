using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Orleans.AdClicks.Events.Wire;

/// <summary>
/// The versioned wire format of clicks and impressions (docs/events.md): UTF-8 JSON, one object per event,
/// and for a click log message one envelope {"v":1,"stream":"{adKey}","events":[…]} per ad shard.
/// Decoding never throws for bad input: it says what it refused and why, and keeps the good events.
/// </summary>
public static class AdEventWire
{
    /// <summary>The version this code writes and the only one it reads.</summary>
    public const int Version = 1;

    private const string Click = "click";
    private const string Impression = "impression";

    /// <summary>One event as UTF-8 JSON (for a log that carries one event per record, such as Kafka).</summary>
    public static byte[] Encode(AdEvent adEvent) =>
        JsonSerializer.SerializeToUtf8Bytes(ToDocument(adEvent), AdEventJsonContext.Default.AdEventDocument);

    /// <summary>The envelope of the events of one ad shard's stream, as a queue message's text.</summary>
    public static string EncodeBatch(string streamKey, IEnumerable<AdEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("stream", streamKey);
            writer.WriteStartArray("events");
            foreach (var e in events)
            {
                JsonSerializer.Serialize(writer, ToDocument(e), AdEventJsonContext.Default.AdEventDocument);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Decodes one event written by <see cref="Encode"/> or an external producer.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out AdEvent? adEvent, out AdEventRejection rejection)
    {
        adEvent = null;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            rejection = new AdEventRejection(AdEventRejectReason.Malformed, $"Not JSON: {ex.Message}");
            return false;
        }

        using (document)
        {
            return TryDecode(document.RootElement, 0, out adEvent, out rejection);
        }
    }

    /// <summary>Decodes a click log message written by <see cref="EncodeBatch"/>; events of another ad than the stream's are refused.</summary>
    public static AdEventBatchDecoding DecodeBatch(string message)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException ex)
        {
            return Refused(AdEventRejectReason.Malformed, $"Not JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Refused(AdEventRejectReason.Malformed, $"The message is a JSON {root.ValueKind}, not an object.");
            }

            if (!TryCheckVersion(root, out var versionRejection))
            {
                return new AdEventBatchDecoding(null, [], [versionRejection]);
            }

            if (!root.TryGetProperty("stream", out var stream) || stream.ValueKind == JsonValueKind.Null)
            {
                return Refused(AdEventRejectReason.MissingField, "The message has no \"stream\".");
            }

            if (stream.ValueKind != JsonValueKind.String || !AdKey.TryParse(stream.GetString(), out var key))
            {
                return Refused(AdEventRejectReason.InvalidField, $"\"stream\" {stream.GetRawText()} is not an ad key.");
            }

            if (!root.TryGetProperty("events", out var items) || items.ValueKind == JsonValueKind.Null)
            {
                return Refused(AdEventRejectReason.MissingField, "The message has no \"events\".");
            }

            if (items.ValueKind != JsonValueKind.Array)
            {
                return Refused(AdEventRejectReason.Malformed, $"\"events\" is a JSON {items.ValueKind}, not an array.");
            }

            var events = new List<AdEvent>(items.GetArrayLength());
            var rejections = new List<AdEventRejection>();
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                if (!TryDecode(item, index, out var e, out var rejection))
                {
                    rejections.Add(rejection);
                }
                else if (e.AdId != key.AdId)
                {
                    rejections.Add(new AdEventRejection(AdEventRejectReason.InvalidField, $"\"adId\" {e.AdId:N} is not the ad of stream {key}.", index));
                }
                else
                {
                    events.Add(e);
                }

                index++;
            }

            return new AdEventBatchDecoding(key.ToString(), events, rejections);
        }
    }

    private static AdEventBatchDecoding Refused(AdEventRejectReason reason, string detail) => new(null, [], [new AdEventRejection(reason, detail)]);

    private static bool TryCheckVersion(JsonElement element, out AdEventRejection rejection)
    {
        rejection = default;
        if (!element.TryGetProperty("v", out var version) || version.ValueKind == JsonValueKind.Null)
        {
            rejection = new AdEventRejection(AdEventRejectReason.MissingField, "No version (\"v\").");
            return false;
        }

        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number))
        {
            rejection = new AdEventRejection(AdEventRejectReason.Malformed, $"Version \"v\" {version.GetRawText()} is not an integer.");
            return false;
        }

        if (number != Version)
        {
            rejection = new AdEventRejection(AdEventRejectReason.UnknownVersion, $"Version {number}; this consumer reads version {Version}.");
            return false;
        }

        return true;
    }

    private static bool TryDecode(JsonElement element, int index, [NotNullWhen(true)] out AdEvent? adEvent, out AdEventRejection rejection)
    {
        adEvent = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            rejection = new AdEventRejection(AdEventRejectReason.Malformed, $"The event is a JSON {element.ValueKind}, not an object.", index);
            return false;
        }

        if (!TryCheckVersion(element, out rejection))
        {
            rejection = rejection with { Index = index };
            return false;
        }

        AdEventDocument document;
        try
        {
            document = element.Deserialize(AdEventJsonContext.Default.AdEventDocument)!;
        }
        catch (JsonException ex)
        {
            rejection = new AdEventRejection(AdEventRejectReason.Malformed, $"Field {ex.Path} has the wrong type or format.", index);
            return false;
        }

        var missing = Missing(document);
        if (missing is not null)
        {
            rejection = new AdEventRejection(AdEventRejectReason.MissingField, $"\"{missing}\" is missing.", index);
            return false;
        }

        AdEventKind kind;
        switch (document.Kind)
        {
            case Click:
                kind = AdEventKind.Click;
                break;
            case Impression:
                kind = AdEventKind.Impression;
                break;
            default:
                rejection = new AdEventRejection(AdEventRejectReason.InvalidField, $"\"kind\" \"{document.Kind}\" is neither \"{Click}\" nor \"{Impression}\".", index);
                return false;
        }

        if (document.ImpressionId == Guid.Empty || document.AdId == Guid.Empty)
        {
            rejection = new AdEventRejection(AdEventRejectReason.InvalidField, "\"impressionId\" and \"adId\" must not be the empty GUID.", index);
            return false;
        }

        var invalid = InvalidTrafficReason.None;
        if (document.Invalid is { } name && !InvalidTraffic.TryParseApiName(name, out invalid))
        {
            rejection = new AdEventRejection(AdEventRejectReason.InvalidField, $"\"invalid\" \"{name}\" is no invalid-traffic reason this consumer knows.", index);
            return false;
        }

        if (document.Billable!.Value && invalid != InvalidTrafficReason.None)
        {
            rejection = new AdEventRejection(AdEventRejectReason.InvalidField, "A billable event has no \"invalid\" reason.", index);
            return false;
        }

        adEvent = new AdEvent(
            kind,
            document.ImpressionId!.Value,
            document.AdId!.Value,
            document.CampaignId!.Value,
            document.Timestamp!.Value.ToUniversalTime(),
            document.TokenIssuedAt!.Value.ToUniversalTime(),
            document.TokenExpiresAt!.Value.ToUniversalTime(),
            document.Billable!.Value,
            document.UserAgent,
            document.ClientIp,
            InvalidTraffic.Of(document.Billable!.Value, invalid),
            document.Device,
            document.Browser,
            document.Os,
            document.Country);
        rejection = default;
        return true;
    }

    private static string? Missing(AdEventDocument d) =>
        d.Kind is null ? "kind"
        : d.ImpressionId is null ? "impressionId"
        : d.AdId is null ? "adId"
        : d.CampaignId is null ? "campaignId"
        : d.Timestamp is null ? "timestamp"
        : d.TokenIssuedAt is null ? "tokenIssuedAt"
        : d.TokenExpiresAt is null ? "tokenExpiresAt"
        : d.Billable is null ? "billable"
        : null;

    private static AdEventDocument ToDocument(AdEvent e) => new()
    {
        Version = Version,
        Kind = e.Kind == AdEventKind.Click ? Click : Impression,
        ImpressionId = e.ImpressionId,
        AdId = e.AdId,
        CampaignId = e.CampaignId,
        Timestamp = e.Timestamp.ToUniversalTime(),
        TokenIssuedAt = e.TokenIssuedAt.ToUniversalTime(),
        TokenExpiresAt = e.TokenExpiresAt.ToUniversalTime(),
        Billable = e.Billable,
        UserAgent = e.UserAgent,
        ClientIp = e.ClientIp,
        Invalid = e.ReasonOf() is var reason and not InvalidTrafficReason.None ? InvalidTraffic.ApiName(reason) : null,
        Device = e.Device,
        Browser = e.Browser,
        Os = e.Os,
        Country = e.Country,
    };
}
