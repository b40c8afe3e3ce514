using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// The append-only segment files of the embedded raw click store, one per UTC day of writing,
/// plus the lock file that keeps a second process out. Used by one thread at a time (the writer loop).
/// </summary>
internal sealed class RawClickSegmentLog : IDisposable
{
    private const string SegmentExtension = ".seg";
    private const string SegmentPattern = "*" + SegmentExtension;
    private const string LockFileName = ".lock";

    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly RawClickMetrics? _metrics;
    private readonly FileStream _lockFile;
    private readonly ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private FileStream? _segment;
    private DateOnly _segmentDay;
    private Exception? _damage;

    public RawClickSegmentLog(string directory, ILogger logger, RawClickMetrics? metrics)
    {
        _directory = directory;
        _logger = logger;
        _metrics = metrics;
        Directory.CreateDirectory(directory);
        var lockPath = Path.Combine(directory, LockFileName);
        try
        {
            // FileShare.None takes an OS lock on the file, released when the process exits, even on a crash.
            _lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException(
                $"The raw click store in '{directory}' is in use by another process (lock file '{lockPath}'). " +
                "Stop that process or point AdClicks:DataDirectory at another directory.",
                ex);
        }
    }

    /// <summary>
    /// Feeds every whole record to <paramref name="apply"/>, oldest segment first; skips and reports damaged
    /// records, cuts off a torn tail (see <see cref="RawClickSegmentReader"/>).
    /// </summary>
    public void Replay(Action<AdKey, AdEvent> apply)
    {
        var segments = Directory.EnumerateFiles(_directory, SegmentPattern)
            .Where(path => Path.GetExtension(path) == SegmentExtension)
            .Order(StringComparer.Ordinal);
        foreach (var path in segments)
        {
            new RawClickSegmentReader(path, _logger, _metrics).Replay(apply);
        }
    }

    /// <summary>Buffers one record for the next <see cref="Commit"/>.</summary>
    public void Append(AdKey key, AdEvent e) => RawClickRecordCodec.Write(_pending, key, e);

    /// <summary>Writes the buffered records to the segment of <paramref name="now"/>'s day and flushes them to disk.</summary>
    public void Commit(DateTimeOffset now)
    {
        if (_damage is not null)
        {
            _pending.Clear();
            throw new IOException("The raw click segment could not be repaired after a failed write; reopen the store.", _damage);
        }

        var segment = SegmentFor(DateOnly.FromDateTime(now.UtcDateTime));
        var start = segment.Position;
        try
        {
            segment.Write(_pending.WrittenSpan);
            segment.Flush(true);
        }
        catch (Exception ex)
        {
            Rollback(segment, start, ex);
            throw;
        }
        finally
        {
            _pending.Clear();
        }
    }

    public void Dispose()
    {
        _segment?.Dispose();
        _lockFile.Dispose();
    }

    private FileStream SegmentFor(DateOnly day)
    {
        if (_segment is null || day != _segmentDay)
        {
            _segment?.Dispose();
            var name = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + SegmentExtension;
            _segment = new FileStream(Path.Combine(_directory, name), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 0);
            _segment.Seek(0, SeekOrigin.End);
            _segmentDay = day;
        }

        return _segment;
    }

    private void Rollback(FileStream segment, long start, Exception failure)
    {
        // A partial group left in place would hide every later record from the next replay.
        try
        {
            segment.SetLength(start);
            segment.Position = start;
        }
        catch (Exception ex)
        {
            _damage = new AggregateException(failure, ex);
        }
    }
}
