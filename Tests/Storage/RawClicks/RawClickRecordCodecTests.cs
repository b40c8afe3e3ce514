using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using Azure.Data.Tables;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Tests.Storage.RawClicks;

public sealed class RawClickRecordCodecTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 7, TimeSpan.Zero);

    private static readonly AdEvent Click = new(
        AdEventKind.Click, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now, Now.AddMinutes(-1), Now.AddDays(1),
        Billable: true, "Mozilla/5.0", "203.0.113.0");

    private static readonly AdEvent EnrichedClick = Click with
    {
        UserAgent = "Mozilla/5.0 (iPhone)", Device = "mobile", Browser = "Mobile Safari", Os = "iOS", Country = "DE",
    };

    public static TheoryData<InvalidTrafficReason> Reasons() => [.. Enum.GetValues<InvalidTrafficReason>()];

    [Theory]
    [MemberData(nameof(Reasons))]
    public void TryReadAt_WrittenEvent_ItsVerdictRoundTrips(InvalidTrafficReason reason)
    {
        var written = Click with { Billable = reason == InvalidTrafficReason.None, Invalid = reason };

        var read = RoundTrip(Write(written));

        Assert.Equal(written, read);
    }

    [Fact]
    public void TryReadAt_NotBillableRecordOfBeforeReasons_AnExpiredToken()
    {
        var bytes = Write(Click with { Billable = false });
        Assert.Equal(0, bytes[8 + 2] & 0xFE);

        var read = RoundTrip(bytes);

        Assert.False(read.Billable);
        Assert.Equal(InvalidTrafficReason.ExpiredToken, read.Invalid);
    }

    [Fact]
    public void Entity_InvalidEvent_KeepsItsReasonAndOlderEntitiesReadAsExpired()
    {
        var entity = RawClickEntity.From(Click with { Billable = false, Invalid = InvalidTrafficReason.AddressFlood }, 0, "p");
        var older = new TableEntity("p", "r") { [RawClickEntity.Billable] = false };
        var billable = RawClickEntity.From(Click, 0, "p");

        Assert.Equal(InvalidTrafficReason.AddressFlood, RawClickEntity.ReasonOf(entity));
        Assert.Equal(InvalidTrafficReason.ExpiredToken, RawClickEntity.ReasonOf(older));
        Assert.Equal(InvalidTrafficReason.None, RawClickEntity.ReasonOf(billable));
    }

    [Fact]
    public void TryReadAt_EnrichedRecord_KeepsDeviceBrowserOsAndCountry()
    {
        var read = RoundTrip(Write(EnrichedClick));

        Assert.Equal(EnrichedClick, read);
    }

    [Fact]
    public void TryReadAt_Version1RecordWithoutEnrichment_ReadsWithNullEnrichment()
    {
        var read = RoundTrip(AsVersion1(Write(Click)));

        Assert.Equal(Click, read);
    }

    private static byte[] Write(AdEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RawClickRecordCodec.Write(buffer, new AdKey(e.AdId, 0), e);
        return buffer.WrittenSpan.ToArray();
    }

    private static AdEvent RoundTrip(byte[] bytes)
    {
        var scratch = Array.Empty<byte>();
        using var stream = new MemoryStream(bytes);
        Assert.Equal(RecordRead.Record, RawClickRecordCodec.TryReadAt(stream, 0, ref scratch, out _, out _, out var e));
        return e!;
    }

    /// <summary>What version 1 wrote for the same event: the body without the four trailing null texts.</summary>
    private static byte[] AsVersion1(byte[] version2)
    {
        var bodyLength = BinaryPrimitives.ReadInt32LittleEndian(version2.AsSpan(4)) - 4 * 4;
        var record = new byte[4 + 4 + bodyLength + 4];
        version2.AsSpan(0, 8 + bodyLength).CopyTo(record);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(4), bodyLength);
        record[8] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8 + bodyLength), Crc32.HashToUInt32(record.AsSpan(8, bodyLength)));
        return record;
    }
}
