using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// Replays one segment file. A damaged record in the middle is skipped: the reader resynchronises on the next
/// whole record (sync marker, length and CRC), keeps everything after it, and copies the skipped bytes aside to
/// "{segment}.{offset}.corrupt" without touching the segment. At the end, an append cut short by a crash
/// (a torn tail) is cut off; damaged bytes with nothing readable behind them are copied aside first, then cut off,
/// so the next append lands behind whole records.
/// </summary>
internal sealed class RawClickSegmentReader(string path, ILogger logger, RawClickMetrics? metrics)
{
    private byte[] _scratch = [];

    public void Replay(Action<AdKey, AdEvent> apply)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        var position = 0L;
        while (position < file.Length)
        {
            var read = RawClickRecordCodec.TryReadAt(file, position, ref _scratch, out var length, out var key, out var e);
            if (read == RecordRead.Record)
            {
                apply(key, e!);
                position += length;
                continue;
            }

            var next = FindNextRecord(file, position + 1);
            if (next >= 0)
            {
                Skip(file, position, next, "corrupt");
                position = next;
                continue;
            }

            CutTail(file, position, torn: read == RecordRead.Incomplete);
            return;
        }
    }

    private long FindNextRecord(FileStream file, long from)
    {
        for (var candidate = from; candidate < file.Length; candidate++)
        {
            if (RawClickRecordCodec.TryReadAt(file, candidate, ref _scratch, out _, out _, out _) == RecordRead.Record)
            {
                return candidate;
            }
        }

        return -1;
    }

    private void CutTail(FileStream file, long position, bool torn)
    {
        var bytes = file.Length - position;
        if (torn)
        {
            // A crash mid-append: the group was never answered, so nothing in it was counted.
            logger.LogWarning("Raw click segment {Segment} ends in a torn record; cutting {Bytes} bytes at offset {Offset}", path, bytes, position);
            metrics?.Skipped("torn", bytes);
        }
        else
        {
            Skip(file, position, file.Length, "corrupt");
        }

        file.SetLength(position);
        file.Flush(true);
    }

    private void Skip(FileStream file, long start, long end, string reason)
    {
        var aside = $"{path}.{start.ToString("D12", CultureInfo.InvariantCulture)}.corrupt";
        logger.LogError(
            "Raw click segment {Segment} has {Bytes} unreadable bytes at offset {Offset}; the events there are lost to counting and dedup, the bytes are kept in {CorruptFile}",
            path,
            end - start,
            start,
            aside);
        metrics?.Skipped(reason, end - start);
        if (File.Exists(aside) && new FileInfo(aside).Length == end - start)
        {
            // Copied by an earlier replay of the same damage.
            return;
        }

        using var copy = new FileStream(aside, FileMode.Create, FileAccess.Write, FileShare.None);
        file.Position = start;
        var buffer = new byte[64 * 1024];
        for (var left = end - start; left > 0;)
        {
            var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                break;
            }

            copy.Write(buffer, 0, read);
            left -= read;
        }

        copy.Flush(true);
    }
}
