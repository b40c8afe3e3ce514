using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// One raw event in a segment file: [u32 sync marker][u32 body length][body][u32 CRC-32 of body], all
/// little-endian. The marker lets a replay find the next record after a damaged one; segments written
/// before it (the same frame without the marker) still read. The marker's value is far above any body
/// length, so the two frames never look alike.
/// Body: version, kind, flags (bit 0 billable, bits 1-7 the invalid-traffic reason; 0 there in records written
/// before reasons, read as an expired token when not billable), impression id, ad id, campaign id, shard, timestamp,
/// token issued-at, token expires-at (UTC ticks), user agent, client ip (i32 UTF-8 length or -1 for null, bytes);
/// version 2 appends device, browser, OS and country as texts the same way (version 1 reads them as null).
/// </summary>
internal static class RawClickRecordCodec
{
    /// <summary>"ACR\xA5" on disk.</summary>
    public const uint SyncMarker = 0xA552_4341;

    private const byte Version = 2;
    private const byte VersionWithoutEnrichment = 1;
    private const int FixedBodyLength = 3 + 3 * 16 + 4 + 3 * 8;
    private const int MaxBodyLength = 64 * 1024;

    // Beacons cap these far lower; clipping here keeps every record readable under MaxBodyLength.
    private const int MaxTextChars = 4096;

    public static void Write(IBufferWriter<byte> output, AdKey key, AdEvent e)
    {
        var userAgent = Clip(e.UserAgent);
        var clientIp = Clip(e.ClientIp);
        var device = Clip(e.Device);
        var browser = Clip(e.Browser);
        var os = Clip(e.Os);
        var country = Clip(e.Country);
        var bodyLength = FixedBodyLength + TextLength(userAgent) + TextLength(clientIp)
            + TextLength(device) + TextLength(browser) + TextLength(os) + TextLength(country);
        var record = output.GetSpan(bodyLength + 12)[..(bodyLength + 12)];
        BinaryPrimitives.WriteUInt32LittleEndian(record, SyncMarker);
        var frame = record[4..];
        var body = frame.Slice(4, bodyLength);

        BinaryPrimitives.WriteInt32LittleEndian(frame, bodyLength);
        body[0] = Version;
        body[1] = (byte)e.Kind;
        body[2] = (byte)((e.Billable ? 1 : 0) | ((byte)e.Invalid << 1));
        e.ImpressionId.TryWriteBytes(body[3..]);
        e.AdId.TryWriteBytes(body[19..]);
        e.CampaignId.TryWriteBytes(body[35..]);
        BinaryPrimitives.WriteInt32LittleEndian(body[51..], key.Shard);
        BinaryPrimitives.WriteInt64LittleEndian(body[55..], e.Timestamp.UtcTicks);
        BinaryPrimitives.WriteInt64LittleEndian(body[63..], e.TokenIssuedAt.UtcTicks);
        BinaryPrimitives.WriteInt64LittleEndian(body[71..], e.TokenExpiresAt.UtcTicks);
        var offset = FixedBodyLength;
        offset += WriteText(body[offset..], userAgent);
        offset += WriteText(body[offset..], clientIp);
        offset += WriteText(body[offset..], device);
        offset += WriteText(body[offset..], browser);
        offset += WriteText(body[offset..], os);
        WriteText(body[offset..], country);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[(4 + bodyLength)..], Crc32.HashToUInt32(body));
        output.Advance(record.Length);
    }

    /// <summary>
    /// Reads the record that starts at <paramref name="position"/>: <see cref="RecordRead.Incomplete"/> when the
    /// stream ends before the record it announces does (a torn append), <see cref="RecordRead.Invalid"/> when
    /// the bytes there are no record (damage, or the middle of one).
    /// </summary>
    public static RecordRead TryReadAt(Stream stream, long position, ref byte[] scratch, out int length, out AdKey key, out AdEvent? e)
    {
        key = default;
        e = null;
        length = 0;
        stream.Position = position;
        Span<byte> header = stackalloc byte[4];
        if (stream.ReadAtLeast(header, 4, throwOnEndOfStream: false) < 4)
        {
            return RecordRead.Incomplete;
        }

        var marked = BinaryPrimitives.ReadUInt32LittleEndian(header) == SyncMarker;
        if (marked && stream.ReadAtLeast(header, 4, throwOnEndOfStream: false) < 4)
        {
            return RecordRead.Incomplete;
        }

        var bodyLength = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (bodyLength < FixedBodyLength + 8 || bodyLength > MaxBodyLength)
        {
            return RecordRead.Invalid;
        }

        if (scratch.Length < bodyLength + 4)
        {
            scratch = new byte[MaxBodyLength + 4];
        }

        var rest = scratch.AsSpan(0, bodyLength + 4);
        if (stream.ReadAtLeast(rest, rest.Length, throwOnEndOfStream: false) < rest.Length)
        {
            return RecordRead.Incomplete;
        }

        var body = rest[..bodyLength];
        if (BinaryPrimitives.ReadUInt32LittleEndian(rest[bodyLength..]) != Crc32.HashToUInt32(body)
            || body[0] is not (Version or VersionWithoutEnrichment)
            || !Enum.IsDefined((AdEventKind)body[1])
            || !InvalidTraffic.IsKnown((InvalidTrafficReason)(body[2] >> 1)))
        {
            return RecordRead.Invalid;
        }

        var offset = FixedBodyLength;
        if (!TryReadText(body, ref offset, out var userAgent) || !TryReadText(body, ref offset, out var clientIp))
        {
            return RecordRead.Invalid;
        }

        string? device = null, browser = null, os = null, country = null;
        if (body[0] == Version
            && !(TryReadText(body, ref offset, out device) && TryReadText(body, ref offset, out browser)
                && TryReadText(body, ref offset, out os) && TryReadText(body, ref offset, out country)))
        {
            return RecordRead.Invalid;
        }

        key = new AdKey(new Guid(body.Slice(19, 16)), BinaryPrimitives.ReadInt32LittleEndian(body[51..]));
        e = new AdEvent(
            (AdEventKind)body[1],
            new Guid(body.Slice(3, 16)),
            key.AdId,
            new Guid(body.Slice(35, 16)),
            ReadTime(body[55..]),
            ReadTime(body[63..]),
            ReadTime(body[71..]),
            (body[2] & 1) == 1,
            userAgent,
            clientIp,
            InvalidTraffic.Of((body[2] & 1) == 1, (InvalidTrafficReason)(body[2] >> 1)),
            device,
            browser,
            os,
            country);
        length = (marked ? 4 : 0) + 4 + bodyLength + 4;
        return RecordRead.Record;
    }

    private static string? Clip(string? text) => text is { Length: > MaxTextChars } ? text[..MaxTextChars] : text;

    private static int TextLength(string? text) => 4 + (text is null ? 0 : Encoding.UTF8.GetByteCount(text));

    private static int WriteText(Span<byte> destination, string? text)
    {
        if (text is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination, -1);
            return 4;
        }

        var length = Encoding.UTF8.GetBytes(text, destination[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination, length);
        return 4 + length;
    }

    private static bool TryReadText(ReadOnlySpan<byte> body, ref int offset, out string? text)
    {
        text = null;
        if (body.Length - offset < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(body[offset..]);
        offset += 4;
        if (length == -1)
        {
            return true;
        }

        if (length < 0 || length > body.Length - offset)
        {
            return false;
        }

        text = Encoding.UTF8.GetString(body.Slice(offset, length));
        offset += length;
        return true;
    }

    private static DateTimeOffset ReadTime(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadInt64LittleEndian(source), TimeSpan.Zero);
}
