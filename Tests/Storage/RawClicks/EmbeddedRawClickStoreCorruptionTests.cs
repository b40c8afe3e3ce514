using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Storage.RawClicks;

/// <summary>Replay of segments damaged in the middle: the damaged record is skipped and reported, everything else kept.</summary>
public sealed class EmbeddedRawClickStoreCorruptionTests : IDisposable
{
    private const int Records = 7;
    private const int Damaged = 3;
    private const uint SyncMarker = 0xA552_4341;

    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly AdKey _key = new(Guid.NewGuid(), 0);
    private readonly Guid _campaignId = Guid.NewGuid();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    public void Dispose()
    {
        _services.Dispose();
        _directory.Dispose();
    }

    [Theory]
    [InlineData(5)] // the body length
    [InlineData(40)] // the impression id
    [InlineData(-2)] // the CRC
    public async Task Open_ByteFlippedInMiddleRecord_KeepsEveryOtherRecordAndReportsTheDamagedOne(int offsetInRecord)
    {
        var events = await WriteSegmentAsync();
        var segment = SegmentPath();
        var frames = Frames(await File.ReadAllBytesAsync(segment, Cancellation));
        var damaged = frames[Damaged];
        var bytes = await File.ReadAllBytesAsync(segment, Cancellation);
        bytes[damaged.Offset + (offsetInRecord >= 0 ? offsetInRecord : damaged.Length + offsetInRecord)] ^= 0x5A;
        await File.WriteAllBytesAsync(segment, bytes, Cancellation);
        using var metrics = new MeasurementRecorder(RawClickMetrics.MeterName, [Meters]);

        await using var store = Open();
        var tallies = await store.CountAsync(_key, Start, Start.AddMinutes(1), Cancellation);
        var survivors = events.Where((_, i) => i != Damaged).ToList();
        var again = await store.AppendNewAsync(_key, survivors, Cancellation);

        Assert.Equal([new MinuteTally(Start, Records - 1, 0)], tallies);
        Assert.Empty(again);
        Assert.Equal(bytes.Length, new FileInfo(segment).Length);
        var aside = Assert.Single(Directory.GetFiles(_directory.Path, "*.corrupt"));
        Assert.Equal($"{segment}.{damaged.Offset:D12}.corrupt", aside);
        Assert.Equal(bytes.AsSpan(damaged.Offset, damaged.Length).ToArray(), await File.ReadAllBytesAsync(aside, Cancellation));
        Assert.Equal(1, metrics.Sum("adclicks.raw_clicks.replay.skipped", "reason=corrupt"));
        Assert.Equal(damaged.Length, metrics.Sum("adclicks.raw_clicks.replay.skipped_bytes", "reason=corrupt"));
    }

    [Fact]
    public async Task Open_SyncMarkerDamaged_ReadsTheRecordBehindIt()
    {
        var events = await WriteSegmentAsync();
        var damaged = Frames(await File.ReadAllBytesAsync(SegmentPath(), Cancellation))[Damaged];
        await FlipAsync(damaged.Offset + 1);
        using var metrics = new MeasurementRecorder(RawClickMetrics.MeterName, [Meters]);

        await using var store = Open();
        var tallies = await store.CountAsync(_key, Start, Start.AddMinutes(1), Cancellation);

        // What follows a marker is a whole record without one, as segments were written before markers.
        Assert.Equal([new MinuteTally(Start, Records, 0)], tallies);
        Assert.Empty(await store.AppendNewAsync(_key, events, Cancellation));
        Assert.Equal((1, 4), (metrics.Sum("adclicks.raw_clicks.replay.skipped", "reason=corrupt"), metrics.Sum("adclicks.raw_clicks.replay.skipped_bytes", "reason=corrupt")));
    }

    [Fact]
    public async Task Open_DamagedSegmentReopened_AppendsBehindAndKeepsOneCopyAside()
    {
        var events = await WriteSegmentAsync();
        await FlipAsync(Frames(await File.ReadAllBytesAsync(SegmentPath(), Cancellation))[Damaged].Offset + 40);
        var added = Event(Guid.NewGuid());
        await using (var store = Open())
        {
            Assert.Equal([added], await store.AppendNewAsync(_key, [added], Cancellation));
        }

        await using var reopened = Open();
        var tallies = await reopened.CountAsync(_key, Start, Start.AddMinutes(1), Cancellation);

        Assert.Equal([new MinuteTally(Start, Records, 0)], tallies);
        Assert.Empty(await reopened.AppendNewAsync(_key, [.. events.Where((_, i) => i != Damaged), added], Cancellation));
        Assert.Single(Directory.GetFiles(_directory.Path, "*.corrupt"));
    }

    [Fact]
    public async Task Open_SegmentWithoutSyncMarkers_ReplaysAndResynchronisesByLengthAndCrc()
    {
        var events = await WriteSegmentAsync();
        var legacy = WithoutSyncMarkers(await File.ReadAllBytesAsync(SegmentPath(), Cancellation));
        var damagedOffset = Frames(legacy)[Damaged].Offset;
        legacy[damagedOffset + 30] ^= 0x5A;
        await File.WriteAllBytesAsync(SegmentPath(), legacy, Cancellation);
        using var metrics = new MeasurementRecorder(RawClickMetrics.MeterName, [Meters]);

        await using var store = Open();
        var tallies = await store.CountAsync(_key, Start, Start.AddMinutes(1), Cancellation);
        var again = await store.AppendNewAsync(_key, events, Cancellation);

        Assert.Equal([new MinuteTally(Start, Records - 1, 0)], tallies);
        Assert.Equal([events[Damaged]], again);
        Assert.Equal(1, metrics.Sum("adclicks.raw_clicks.replay.skipped", "reason=corrupt"));
    }

    [Fact]
    public async Task Open_TornTail_CountedAsTornAndCut()
    {
        await WriteSegmentAsync();
        var whole = await File.ReadAllBytesAsync(SegmentPath(), Cancellation);
        var lastRecord = Frames(whole)[^1];
        await File.WriteAllBytesAsync(SegmentPath(), [.. whole, .. whole.AsSpan(lastRecord.Offset, lastRecord.Length / 2).ToArray()], Cancellation);
        using var metrics = new MeasurementRecorder(RawClickMetrics.MeterName, [Meters]);

        await using var store = Open();
        var tallies = await store.CountAsync(_key, Start, Start.AddMinutes(1), Cancellation);

        Assert.Equal([new MinuteTally(Start, Records, 0)], tallies);
        Assert.Equal(whole.Length, new FileInfo(SegmentPath()).Length);
        Assert.Equal((1, lastRecord.Length / 2), (metrics.Sum("adclicks.raw_clicks.replay.skipped", "reason=torn"), metrics.Sum("adclicks.raw_clicks.replay.skipped_bytes", "reason=torn")));
        Assert.Empty(Directory.GetFiles(_directory.Path, "*.corrupt"));
    }

    private async Task<List<AdEvent>> WriteSegmentAsync()
    {
        var events = Enumerable.Range(0, Records).Select(_ => Event(Guid.NewGuid())).ToList();
        await using var store = Open();
        Assert.Equal(events, await store.AppendNewAsync(_key, events, Cancellation));
        return events;
    }

    private async Task FlipAsync(int offset)
    {
        var bytes = await File.ReadAllBytesAsync(SegmentPath(), Cancellation);
        bytes[offset] ^= 0x5A;
        await File.WriteAllBytesAsync(SegmentPath(), bytes, Cancellation);
    }

    private string SegmentPath() => Assert.Single(Directory.GetFiles(_directory.Path, "*.seg"));

    private EmbeddedRawClickStore Open() =>
        EmbeddedRawClickStore.Open(_directory.Path, EmbeddedRawClickStore.DefaultRetention, _time, NullLogger<EmbeddedRawClickStore>.Instance, new RawClickMetrics(Meters));

    private AdEvent Event(Guid impressionId) =>
        new(AdEventKind.Click, impressionId, _key.AdId, _campaignId, Start, Start.AddMinutes(-1), Start.AddHours(1), true, "Mozilla/5.0", "203.0.113.0");

    /// <summary>Where each record of a whole segment starts and how long it is, with or without sync markers.</summary>
    private static List<(int Offset, int Length)> Frames(byte[] segment)
    {
        var frames = new List<(int, int)>();
        for (var offset = 0; offset < segment.Length;)
        {
            var marked = BinaryPrimitives.ReadUInt32LittleEndian(segment.AsSpan(offset)) == SyncMarker;
            var bodyLength = BinaryPrimitives.ReadInt32LittleEndian(segment.AsSpan(offset + (marked ? 4 : 0)));
            var length = (marked ? 4 : 0) + 4 + bodyLength + 4;
            frames.Add((offset, length));
            offset += length;
        }

        return frames;
    }

    /// <summary>The segment as stores wrote it before records carried a sync marker.</summary>
    private static byte[] WithoutSyncMarkers(byte[] segment) =>
        [.. Frames(segment).SelectMany(f => segment.AsSpan(f.Offset + 4, f.Length - 4).ToArray())];
}
