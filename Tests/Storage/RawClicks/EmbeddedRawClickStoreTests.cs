using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Tests.Storage.RawClicks;

public sealed class EmbeddedRawClickStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "adclicks-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Start);
    private readonly AdKey _key = new(Guid.NewGuid(), 0);
    private readonly Guid _campaignId = Guid.NewGuid();
    private readonly CancellationToken _cancellationToken = TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AppendNew_RepeatedWithinBatch_ReturnsItOnce()
    {
        await using var store = Open();
        var click = Event(AdEventKind.Click, Guid.NewGuid());

        var accepted = await store.AppendNewAsync(_key, [click, click, click with { UserAgent = "retry" }], _cancellationToken);

        Assert.Equal([click], accepted);
    }

    [Fact]
    public async Task AppendNew_SeenInEarlierBatch_Refused()
    {
        await using var store = Open();
        var first = Event(AdEventKind.Click, Guid.NewGuid());
        var second = Event(AdEventKind.Click, Guid.NewGuid());
        await store.AppendNewAsync(_key, [first], _cancellationToken);

        var accepted = await store.AppendNewAsync(_key, [first, second], _cancellationToken);

        Assert.Equal([second], accepted);
    }

    [Fact]
    public async Task AppendNew_ClickAndImpressionWithSameId_BothNew()
    {
        await using var store = Open();
        var impressionId = Guid.NewGuid();
        var impression = Event(AdEventKind.Impression, impressionId);
        var click = Event(AdEventKind.Click, impressionId);

        var accepted = await store.AppendNewAsync(_key, [impression, click], _cancellationToken);

        Assert.Equal([impression, click], accepted);
    }

    [Fact]
    public async Task AppendNew_SameIdOnOtherShardOrLater_Refused()
    {
        await using var store = Open();
        var click = Event(AdEventKind.Click, Guid.NewGuid());
        await store.AppendNewAsync(_key, [click], _cancellationToken);
        _time.Advance(TimeSpan.FromMinutes(30));

        var onOtherShard = await store.AppendNewAsync(_key with { Shard = 3 }, [click], _cancellationToken);
        var later = await store.AppendNewAsync(_key, [click with { Timestamp = _time.GetUtcNow() }], _cancellationToken);

        Assert.Empty(onOtherShard);
        Assert.Empty(later);
    }

    [Fact]
    public async Task AppendNew_NonBillable_StoredButNotTallied()
    {
        await using var store = Open();
        var expired = Event(AdEventKind.Click, Guid.NewGuid(), billable: false);

        var accepted = await store.AppendNewAsync(_key, [expired], _cancellationToken);
        var again = await store.AppendNewAsync(_key, [expired], _cancellationToken);
        var tallies = await store.CountAsync(_key, Start.AddHours(-1), Start.AddHours(1), _cancellationToken);

        Assert.Equal([expired], accepted);
        Assert.Empty(again);
        Assert.Empty(tallies);
    }

    [Fact]
    public async Task Count_EventsOverSeveralMinutes_TalliesPerMinuteFromInclusiveToExclusive()
    {
        await using var store = Open();
        await store.AppendNewAsync(
            _key,
            [
                Event(AdEventKind.Click, Guid.NewGuid(), Start.AddSeconds(-1)),
                Event(AdEventKind.Click, Guid.NewGuid(), Start),
                Event(AdEventKind.Click, Guid.NewGuid(), Start.AddSeconds(59)),
                Event(AdEventKind.Impression, Guid.NewGuid(), Start.AddSeconds(30)),
                Event(AdEventKind.Impression, Guid.NewGuid(), Start.AddMinutes(2)),
                Event(AdEventKind.Click, Guid.NewGuid(), Start.AddMinutes(3)),
            ],
            _cancellationToken);

        var tallies = await store.CountAsync(_key, Start, Start.AddMinutes(3), _cancellationToken);
        var wide = await store.CountAsync(_key, Start.AddDays(-400), Start.AddDays(400), _cancellationToken);
        var otherShard = await store.CountAsync(_key with { Shard = 1 }, Start, Start.AddMinutes(3), _cancellationToken);

        Assert.Equal([new MinuteTally(Start, 2, 1), new MinuteTally(Start.AddMinutes(2), 0, 1)], tallies);
        Assert.Equal(4, wide.Count);
        Assert.Empty(otherShard);
    }

    [Fact]
    public async Task Open_Reopened_KeepsRegistryAndTallies()
    {
        var click = Event(AdEventKind.Click, Guid.NewGuid());
        await using (var store = Open())
        {
            await store.AppendNewAsync(_key, [click, Event(AdEventKind.Impression, click.ImpressionId)], _cancellationToken);
        }

        await using var reopened = Open();
        var again = await reopened.AppendNewAsync(_key, [click], _cancellationToken);
        var tallies = await reopened.CountAsync(_key, Start, Start.AddMinutes(1), _cancellationToken);

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
            await store.AppendNewAsync(_key, [kept], _cancellationToken);
        }

        var segment = Assert.Single(Directory.GetFiles(_directory, "*.seg"));
        var whole = await File.ReadAllBytesAsync(segment, _cancellationToken);
        var tail = garbage ? new byte[] { 0x13, 0x00, 0x00, 0x00, 0xFF, 0xFE, 0xFD } : whole[..(whole.Length / 2)];
        await File.WriteAllBytesAsync(segment, [.. whole, .. tail], _cancellationToken);
        var added = Event(AdEventKind.Click, Guid.NewGuid());

        await using (var store = Open())
        {
            Assert.Empty(await store.AppendNewAsync(_key, [kept], _cancellationToken));
            Assert.Equal([added], await store.AppendNewAsync(_key, [added], _cancellationToken));
        }

        await using var reopened = Open();
        var tallies = await reopened.CountAsync(_key, Start, Start.AddMinutes(1), _cancellationToken);

        Assert.Equal([new MinuteTally(Start, 2, 0)], tallies);
        Assert.Empty(await reopened.AppendNewAsync(_key, [added], _cancellationToken));
    }

    [Fact]
    public async Task AppendNew_NextUtcDay_StartsSegmentAndReplaysBoth()
    {
        var first = Event(AdEventKind.Click, Guid.NewGuid());
        var second = Event(AdEventKind.Click, Guid.NewGuid(), Start.AddDays(1));
        await using (var store = Open())
        {
            await store.AppendNewAsync(_key, [first], _cancellationToken);
            _time.Advance(TimeSpan.FromDays(1));
            await store.AppendNewAsync(_key, [second], _cancellationToken);
        }

        await using var reopened = Open();
        var tallies = await reopened.CountAsync(_key, Start, Start.AddDays(2), _cancellationToken);

        Assert.Equal(2, Directory.GetFiles(_directory, "*.seg").Length);
        Assert.Equal([new MinuteTally(Start, 1, 0), new MinuteTally(Start.AddDays(1), 1, 0)], tallies);
        Assert.Empty(await reopened.AppendNewAsync(_key, [first, second], _cancellationToken));
    }

    [Fact]
    public async Task Registry_AfterExpiryPlusMargin_ForgetsIdsButKeepsTallies()
    {
        var margin = TimeSpan.FromDays(1);
        await using var store = Open(margin);
        var click = Event(AdEventKind.Click, Guid.NewGuid());
        await store.AppendNewAsync(_key, [click], _cancellationToken);

        _time.SetUtcNow(click.TokenExpiresAt + margin - TimeSpan.FromMinutes(1));
        var beforeMargin = await store.AppendNewAsync(_key, [click], _cancellationToken);
        var registeredBefore = store.RegisteredIds;
        _time.Advance(TimeSpan.FromHours(2));
        var afterMargin = await store.AppendNewAsync(_key, [click], _cancellationToken);
        var tallies = await store.CountAsync(_key, Start, Start.AddMinutes(1), _cancellationToken);

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
        await first.AppendNewAsync(_key, [click], _cancellationToken);

        await first.DisposeAsync();
        var again = await second.AppendNewAsync(_key, [click], _cancellationToken);

        Assert.Same(first, second);
        Assert.Empty(again);
    }

    [Fact]
    public async Task AppendNew_ManyConcurrentCallersWithOverlappingIds_AcceptsEachIdOnce()
    {
        await using var store = Open();
        var ids = Enumerable.Range(0, 5000).Select(_ => Guid.NewGuid()).ToArray();

        var batches = await Task.WhenAll(Enumerable.Range(0, 20).Select(caller => Task.Run(
            async () =>
            {
                var accepted = new List<AdEvent>();
                for (var i = 0; i < 500; i += 50)
                {
                    // Callers overlap by half: each id is offered by two of them.
                    var batch = Enumerable.Range(caller * 250 + i, 50).Select(n => Event(AdEventKind.Click, ids[n % ids.Length])).ToList();
                    accepted.AddRange(await store.AppendNewAsync(_key, batch, _cancellationToken));
                }

                return accepted;
            },
            _cancellationToken)));
        var tallies = await store.CountAsync(_key, Start, Start.AddMinutes(1), _cancellationToken);

        var acceptedIds = batches.SelectMany(b => b).Select(e => e.ImpressionId).ToList();
        Assert.Equal(acceptedIds.Count, acceptedIds.Distinct().Count());
        Assert.Equal(ids.Order(), acceptedIds.Order());
        Assert.Equal([new MinuteTally(Start, ids.Length, 0)], tallies);
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

    private EmbeddedRawClickStore Open(TimeSpan? forgetAfterExpiry = null) =>
        EmbeddedRawClickStore.Open(_directory, _time, NullLogger<EmbeddedRawClickStore>.Instance, forgetAfterExpiry);

    private AdEvent Event(AdEventKind kind, Guid impressionId, DateTimeOffset? at = null, bool billable = true) =>
        new(kind, impressionId, _key.AdId, _campaignId, at ?? Start, Start.AddMinutes(-1), Start.AddHours(1), billable, "Mozilla/5.0", "203.0.113.0");
}
