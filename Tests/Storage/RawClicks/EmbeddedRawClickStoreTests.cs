using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Storage.RawClicks;

public sealed class EmbeddedRawClickStoreTests : RawClickStoreContractTests, IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "adclicks-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Start);
    private EmbeddedRawClickStore? _store;

    /// <summary>Opened on first use only: the tests below open and close the directory themselves.</summary>
    protected override IRawClickStore Store => _store ??= Open();

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Open_Reopened_KeepsRegistryAndTallies()
    {
        var click = Event(AdEventKind.Click, Guid.NewGuid());
        await using (var store = Open())
        {
            await store.AppendNewAsync(Key, [click, Event(AdEventKind.Impression, click.ImpressionId)], Cancellation);
        }

        await using var reopened = Open();
        var again = await reopened.AppendNewAsync(Key, [click], Cancellation);
        var tallies = await reopened.CountAsync(Key, Start, Start.AddMinutes(1), Cancellation);

        Assert.Empty(again);
        Assert.Equal([new MinuteTally(Start, 1, 1)], tallies);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Open_TornTail_KeepsWholeRecordsAndAppendsAfterThem(bool garbage)
    {
        var kept = Event(AdEventKind.Click, Guid.NewGuid());
        await using (var store = Open())
        {
            await store.AppendNewAsync(Key, [kept], Cancellation);
        }

        var segment = Assert.Single(Directory.GetFiles(_directory, "*.seg"));
        var whole = await File.ReadAllBytesAsync(segment, Cancellation);
        var tail = garbage ? new byte[] { 0x13, 0x00, 0x00, 0x00, 0xFF, 0xFE, 0xFD } : whole[..(whole.Length / 2)];
        await File.WriteAllBytesAsync(segment, [.. whole, .. tail], Cancellation);
        var added = Event(AdEventKind.Click, Guid.NewGuid());

        await using (var store = Open())
        {
            Assert.Empty(await store.AppendNewAsync(Key, [kept], Cancellation));
            Assert.Equal([added], await store.AppendNewAsync(Key, [added], Cancellation));
        }

        await using var reopened = Open();
        var tallies = await reopened.CountAsync(Key, Start, Start.AddMinutes(1), Cancellation);

        Assert.Equal([new MinuteTally(Start, 2, 0)], tallies);
        Assert.Empty(await reopened.AppendNewAsync(Key, [added], Cancellation));
    }

    [Fact]
    public async Task AppendNew_NextUtcDay_StartsSegmentAndReplaysBoth()
    {
        var first = Event(AdEventKind.Click, Guid.NewGuid());
        var second = Event(AdEventKind.Click, Guid.NewGuid(), Start.AddDays(1));
        await using (var store = Open())
        {
            await store.AppendNewAsync(Key, [first], Cancellation);
            _time.Advance(TimeSpan.FromDays(1));
            await store.AppendNewAsync(Key, [second], Cancellation);
        }

        await using var reopened = Open();
        var tallies = await reopened.CountAsync(Key, Start, Start.AddDays(2), Cancellation);

        Assert.Equal(2, Directory.GetFiles(_directory, "*.seg").Length);
        Assert.Equal([new MinuteTally(Start, 1, 0), new MinuteTally(Start.AddDays(1), 1, 0)], tallies);
        Assert.Empty(await reopened.AppendNewAsync(Key, [first, second], Cancellation));
    }

    [Fact]
    public async Task Registry_AfterExpiryPlusMargin_ForgetsIdsButKeepsTallies()
    {
        var margin = TimeSpan.FromDays(1);
        await using var store = Open(margin);
        var click = Event(AdEventKind.Click, Guid.NewGuid());
        await store.AppendNewAsync(Key, [click], Cancellation);

        _time.SetUtcNow(click.TokenExpiresAt + margin - TimeSpan.FromMinutes(1));
        var beforeMargin = await store.AppendNewAsync(Key, [click], Cancellation);
        var registeredBefore = store.RegisteredIds;
        _time.Advance(TimeSpan.FromHours(2));
        var afterMargin = await store.AppendNewAsync(Key, [click], Cancellation);
        var tallies = await store.CountAsync(Key, Start, Start.AddMinutes(1), Cancellation);

        Assert.Empty(beforeMargin);
        Assert.Equal(1, registeredBefore);
        Assert.Empty(afterMargin);
        Assert.Equal(0, store.RegisteredIds);
        Assert.Equal([new MinuteTally(Start, 1, 0)], tallies);
    }

    [Fact]
    public async Task Open_TwiceOnOneDirectory_SharesStateUntilLastDispose()
    {
        var click = Event(AdEventKind.Click, Guid.NewGuid());
        var first = Open();
        await using var second = Open();
        await first.AppendNewAsync(Key, [click], Cancellation);

        await first.DisposeAsync();
        var again = await second.AppendNewAsync(Key, [click], Cancellation);

        Assert.Same(first, second);
        Assert.Empty(again);
    }

    [Fact]
    public void Open_DirectoryLockedByAnotherProcess_ThrowsClearError()
    {
        Directory.CreateDirectory(_directory);
        // What another process holds: the lock file, opened exclusively.
        using var otherProcess = new FileStream(Path.Combine(_directory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var error = Assert.Throws<IOException>(() => Open());

        Assert.Contains("in use by another process", error.Message);
    }

    [Fact]
    public async Task CountBreakdowns_Reopened_RebuiltFromTheSegments()
    {
        AdEvent[] events =
        [
            Enriched(AdEventKind.Click, Start.AddMinutes(5), "tablet", "Chrome", "Android", "NL"),
            Enriched(AdEventKind.Impression, Start.AddMinutes(6), "tablet", "Chrome", "Android", "NL"),
            Enriched(AdEventKind.Click, Start.AddMinutes(7), "desktop", "Edge", "Windows", null),
        ];
        IReadOnlyList<BreakdownTally> before;
        await using (var store = Open())
        {
            await store.AppendNewAsync(Key, events, Cancellation);
            before = await store.CountBreakdownsAsync(Key, Start, Start.AddHours(1), Cancellation);
        }

        await using var reopened = Open();
        var after = await reopened.CountBreakdownsAsync(Key, Start, Start.AddHours(1), Cancellation);

        Assert.Equal(8, before.Count);
        Assert.Equal(before, after);
        Assert.Contains(new BreakdownTally(Start, BreakdownDimension.Country, "NL", 1, 1), after);
    }

    [Fact]
    public async Task CountBreakdowns_PastRetention_Pruned()
    {
        await using var store = Open();
        await store.AppendNewAsync(Key, [Enriched(AdEventKind.Click, Start, "desktop", "Chrome", "Windows", "DE")], Cancellation);

        _time.Advance(EmbeddedRawClickStore.DefaultRetention + TimeSpan.FromHours(2));
        await Eventually.MatchesAsync(
            () => store.CountBreakdownsAsync(Key, Start, Start.AddHours(1), Cancellation),
            tallies => tallies.Count == 0);

        Assert.Empty(await store.CountAsync(Key, Start, Start.AddHours(1), Cancellation));
    }

    private EmbeddedRawClickStore Open(TimeSpan? forgetAfterExpiry = null) =>
        EmbeddedRawClickStore.Open(_directory, EmbeddedRawClickStore.DefaultRetention, _time, NullLogger<EmbeddedRawClickStore>.Instance, forgetAfterExpiry: forgetAfterExpiry);
}
