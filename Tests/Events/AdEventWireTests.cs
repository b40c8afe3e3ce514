using System.Text;
using System.Text.Json.Nodes;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;

namespace Orleans.AdClicks.Tests.Events;

public sealed class AdEventWireTests
{
    private static readonly AdEvent Click = new(
        AdEventKind.Click,
        Guid.NewGuid(),
        Guid.NewGuid(),
        Guid.NewGuid(),
        new DateTimeOffset(2026, 3, 1, 12, 0, 7, TimeSpan.Zero).AddTicks(1234567),
        new DateTimeOffset(2026, 3, 1, 11, 59, 0, TimeSpan.Zero).AddTicks(1),
        new DateTimeOffset(2026, 3, 2, 11, 59, 0, TimeSpan.Zero),
        Billable: true,
        "Mozilla/5.0 \"quoted\" <tag> é",
        "203.0.113.0");

    private static string StreamKey => new AdKey(Click.AdId, 0).ToString();

    [Fact]
    public void Decode_EveryFieldOfEncoded_RoundTrips()
    {
        var impression = Click with { Kind = AdEventKind.Impression, Billable = false, Invalid = InvalidTrafficReason.KnownCrawler, UserAgent = null, ClientIp = null };

        var decoded = AdEventWire.DecodeBatch(AdEventWire.EncodeBatch(StreamKey, [Click, impression]));
        var single = AdEventWire.TryDecode(AdEventWire.Encode(Click), out var one, out _);

        Assert.Equal(StreamKey, decoded.StreamKey);
        Assert.Equal([Click, impression], decoded.Events);
        Assert.Equal(Click.Timestamp.UtcTicks, decoded.Events[0].Timestamp.UtcTicks);
        Assert.Empty(decoded.Rejections);
        Assert.True(single);
        Assert.Equal(Click, one);
    }

    [Fact]
    public void Encode_Event_WritesTheDocumentedFields()
    {
        var json = JsonNode.Parse(AdEventWire.Encode(Click with { UserAgent = null }))!.AsObject();

        Assert.Equal(
            ["v", "kind", "impressionId", "adId", "campaignId", "timestamp", "tokenIssuedAt", "tokenExpiresAt", "billable", "clientIp"],
            json.Select(p => p.Key));
        Assert.Equal(1, (int)json["v"]!);
        Assert.Equal("click", (string)json["kind"]!);
        Assert.Equal(Click.ImpressionId.ToString(), (string)json["impressionId"]!);
        Assert.Equal("2026-03-01T12:00:07.1234567+00:00", (string)json["timestamp"]!);
    }

    [Fact]
    public void Decode_ProducerWithOffsetTimesAndUnknownFields_AcceptedInUtc()
    {
        var json = Json(o =>
        {
            o["timestamp"] = "2026-03-01T13:00:07.1234567+01:00";
            o["placement"] = "sidebar";
        });

        Assert.True(AdEventWire.TryDecode(Encoding.UTF8.GetBytes(json), out var decoded, out _));
        Assert.Equal(Click, decoded);
        Assert.Equal(TimeSpan.Zero, decoded.Timestamp.Offset);
    }

    [Theory]
    [InlineData("not json", AdEventRejectReason.Malformed)]
    [InlineData("[1,2]", AdEventRejectReason.Malformed)]
    [InlineData("""{"v":"1"}""", AdEventRejectReason.Malformed)]
    [InlineData("""{"kind":"click"}""", AdEventRejectReason.MissingField)]
    [InlineData("""{"v":2,"adId":42}""", AdEventRejectReason.UnknownVersion)]
    [InlineData("""{"v":0}""", AdEventRejectReason.UnknownVersion)]
    public void TryDecode_BadDocument_RefusedWithReason(string json, AdEventRejectReason reason)
    {
        var decoded = AdEventWire.TryDecode(Encoding.UTF8.GetBytes(json), out var e, out var rejection);

        Assert.False(decoded);
        Assert.Null(e);
        Assert.Equal(reason, rejection.Reason);
    }

    [Theory]
    [InlineData("impressionId", null, AdEventRejectReason.MissingField)]
    [InlineData("billable", null, AdEventRejectReason.MissingField)]
    [InlineData("tokenExpiresAt", null, AdEventRejectReason.MissingField)]
    [InlineData("adId", "not-a-guid", AdEventRejectReason.Malformed)]
    [InlineData("timestamp", "yesterday", AdEventRejectReason.Malformed)]
    [InlineData("billable", "yes", AdEventRejectReason.Malformed)]
    [InlineData("kind", "view", AdEventRejectReason.InvalidField)]
    [InlineData("impressionId", "00000000-0000-0000-0000-000000000000", AdEventRejectReason.InvalidField)]
    [InlineData("invalid", "clickFarm", AdEventRejectReason.InvalidField)]
    [InlineData("invalid", "tooEarly", AdEventRejectReason.InvalidField)]
    public void TryDecode_BadField_RefusedWithReasonNamingIt(string field, string? value, AdEventRejectReason reason)
    {
        var json = Json(o =>
        {
            if (value is null)
            {
                o.Remove(field);
            }
            else
            {
                o[field] = value;
            }
        });

        var decoded = AdEventWire.TryDecode(Encoding.UTF8.GetBytes(json), out _, out var rejection);

        Assert.False(decoded);
        Assert.Equal(reason, rejection.Reason);
        Assert.Contains(field, rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeBatch_BadEventsAmongGood_KeepsTheGoodAndNamesEachBadOne()
    {
        var other = Click with { ImpressionId = Guid.NewGuid() };
        var envelope = JsonNode.Parse(AdEventWire.EncodeBatch(StreamKey, [Click, Click, other]))!.AsObject();
        var events = envelope["events"]!.AsArray();
        events[0]!["v"] = 7;
        events[1]!["adId"] = Guid.NewGuid().ToString();
        events.Add("garbage");

        var decoded = AdEventWire.DecodeBatch(envelope.ToJsonString());

        Assert.Equal([other], decoded.Events);
        Assert.Equal(
            [(AdEventRejectReason.UnknownVersion, 0), (AdEventRejectReason.InvalidField, 1), (AdEventRejectReason.Malformed, 3)],
            decoded.Rejections.Select(r => (r.Reason, r.Index)));
        Assert.Equal(["unknown_version", "invalid_field", "malformed"], decoded.Rejections.Select(r => r.Tag));
    }

    [Theory]
    [InlineData("{", AdEventRejectReason.Malformed)]
    [InlineData("""{"stream":"x","events":[]}""", AdEventRejectReason.MissingField)]
    [InlineData("""{"v":2,"stream":"x","events":[]}""", AdEventRejectReason.UnknownVersion)]
    [InlineData("""{"v":1,"events":[]}""", AdEventRejectReason.MissingField)]
    [InlineData("""{"v":1,"stream":"not-an-ad","events":[]}""", AdEventRejectReason.InvalidField)]
    [InlineData("""{"v":1,"stream":"0123456789abcdef0123456789abcdef"}""", AdEventRejectReason.MissingField)]
    [InlineData("""{"v":1,"stream":"0123456789abcdef0123456789abcdef","events":{}}""", AdEventRejectReason.Malformed)]
    public void DecodeBatch_BadEnvelope_RefusedWhole(string message, AdEventRejectReason reason)
    {
        var decoded = AdEventWire.DecodeBatch(message);

        Assert.Null(decoded.StreamKey);
        Assert.Empty(decoded.Events);
        Assert.Equal(reason, Assert.Single(decoded.Rejections).Reason);
    }

    public static TheoryData<InvalidTrafficReason> Reasons() => [.. InvalidTraffic.Reasons];

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Decode_InvalidEvent_ItsReasonRoundTrips(InvalidTrafficReason reason)
    {
        var invalid = Click with { Billable = false, Invalid = reason };

        var json = JsonNode.Parse(AdEventWire.Encode(invalid))!.AsObject();
        var decoded = AdEventWire.TryDecode(AdEventWire.Encode(invalid), out var e, out _);

        Assert.True(decoded);
        Assert.Equal(invalid, e);
        Assert.Equal(InvalidTraffic.ApiName(reason), (string)json["invalid"]!);
    }

    [Fact]
    public void TryDecode_NotBillableWithoutAReason_AnExpiredToken()
    {
        var json = Json(o => o["billable"] = false);

        var decoded = AdEventWire.TryDecode(Encoding.UTF8.GetBytes(json), out var e, out _);

        Assert.True(decoded);
        Assert.Equal(InvalidTrafficReason.ExpiredToken, e!.Invalid);
    }

    private static string Json(Action<JsonObject> change)
    {
        var json = JsonNode.Parse(AdEventWire.Encode(Click))!.AsObject();
        change(json);
        return json.ToJsonString();
    }
}
