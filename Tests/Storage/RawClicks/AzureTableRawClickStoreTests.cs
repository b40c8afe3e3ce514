using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Storage.RawClicks;

[Trait("Category", "Azurite")]
public sealed class AzureTableRawClickStoreTests(AzuriteFixture fixture) : RawClickStoreContractTests, IClassFixture<AzuriteFixture>, IAsyncDisposable
{
    private readonly List<AzureTableRawClickStore> _stores = [];
    private AzureTableRawClickStore? _store;

    // Without the in-memory cache of stored ids, every refusal is the table's; years of retention, so the
    // contract tests' fixed dates are not dropped by the store's timer meanwhile.
    protected override IRawClickStore Store => _store ??= Create(NoCache);

    private TableServiceClient First => new(fixture.Azurite.ConnectionString);

    private TableServiceClient Second => new(fixture.Azurite.SecondConnectionString);

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task AppendNew_MoreThanOneTransactionInOnePartition_AcceptsEachOnce()
    {
        var store = Create(o => o.PartitionsPerAd = 1);
        var events = Enumerable.Range(0, 250).Select(i => Event(AdEventKind.Click, Guid.NewGuid(), Start.AddSeconds(i % 60))).ToList();

        var accepted = await store.AppendNewAsync(Key, events, Cancellation);
        var again = await store.AppendNewAsync(Key, events, Cancellation);
        var tallies = await store.CountAsync(Key, Start, Start.AddMinutes(1), Cancellation);

        Assert.Equal(events, accepted);
        Assert.Empty(again);
        Assert.Equal([new MinuteTally(Start, 250, 0)], tallies);
    }

    [Fact]
    public async Task AppendNew_SomeOfTransactionAlreadyStored_AcceptsExactlyTheNewOnes()
    {
        var store = Create(o => (o.PartitionsPerAd, o.RecentIdsCapacity) = (1, 0));
        var events = Enumerable.Range(0, 80).Select(_ => Event(AdEventKind.Impression, Guid.NewGuid())).ToList();
        // Not the first: the service names the failed action, and a wrong index would drop a new event.
        var stored = events.Where((_, i) => i % 3 == 1).ToList();
        await store.AppendNewAsync(Key, stored, Cancellation);

        // One transaction for all 80: the stored ones roll it back, and the rest must still go in.
        var accepted = await store.AppendNewAsync(Key, events, Cancellation);
        var tallies = await store.CountAsync(Key, Start, Start.AddMinutes(1), Cancellation);

        Assert.Equal(events.Except(stored), accepted);
        Assert.Equal([new MinuteTally(Start, 0, 80)], tallies);
        Assert.Equal(53, accepted.Count);
    }

    [Fact]
    public async Task AppendNew_TwoAccounts_SpreadsPartitionsAndStillRefusesDuplicates()
    {
        var prefix = NewPrefix();
        var store = Create(o => o.TablePrefix = prefix, accounts: [First, Second]);
        var ads = Enumerable.Range(0, 10).Select(_ => new AdKey(Guid.NewGuid(), 0)).ToList();
        var events = ads.ToDictionary(ad => ad, ad => Enumerable.Range(0, 40).Select(_ => Event(AdEventKind.Click, Guid.NewGuid()) with { AdId = ad.AdId }).ToList());

        var accepted = await Task.WhenAll(ads.Select(ad => store.AppendNewAsync(ad, events[ad], Cancellation)));
        // Another process with the same accounts must map every partition the same way.
        var otherProcess = Create(o => o.TablePrefix = prefix, accounts: [First, Second]);
        var again = await Task.WhenAll(ads.Select(ad => otherProcess.AppendNewAsync(ad, events[ad], Cancellation)));
        var tallies = await Task.WhenAll(ads.Select(ad => otherProcess.CountAsync(ad, Start, Start.AddMinutes(1), Cancellation)));

        Assert.All(accepted, batch => Assert.Equal(40, batch.Count));
        Assert.All(again, Assert.Empty);
        Assert.All(tallies, t => Assert.Equal([new MinuteTally(Start, 40, 0)], t));
        var table = TableOf(prefix, Start.AddMinutes(-1));
        var inFirst = await CountEntitiesAsync(First.GetTableClient(table));
        var inSecond = await CountEntitiesAsync(Second.GetTableClient(table));
        Assert.Equal(400, inFirst + inSecond);
        Assert.InRange(inFirst, 80, 320);
    }

    [Fact]
    public async Task AppendNew_StorageUnreachableForAWhile_SucceedsAfterwardsAndAcceptsNothingTwice()
    {
        // Cut between the store and a running Azurite: killing the emulator would lose what it had not saved yet.
        using var network = fixture.Azurite.ThroughProxies();
        var failures = new CountFailures();
        var options = new TableClientOptions();
        options.AddPolicy(failures, HttpPipelinePosition.PerRetry);
        var store = Create(NoCache, accounts: [new TableServiceClient(network.ConnectionString, options)]);
        var before = Enumerable.Range(0, 30).Select(_ => Event(AdEventKind.Click, Guid.NewGuid())).ToList();
        var during = Enumerable.Range(0, 30).Select(_ => Event(AdEventKind.Click, Guid.NewGuid())).ToList();
        await store.AppendNewAsync(Key, before, Cancellation);

        network.Cut();
        var append = store.AppendNewAsync(Key, [.. before, .. during], Cancellation);
        // Unreachable until the append has failed more than once: it must have retried to succeed.
        await failures.AtLeast(3).WaitAsync(Cancellation);
        var completedDuringOutage = append.IsCompleted;
        network.Restore();
        var accepted = await append;
        var again = await store.AppendNewAsync(Key, [.. before, .. during], Cancellation);
        var tallies = await store.CountAsync(Key, Start, Start.AddMinutes(1), Cancellation);

        Assert.False(completedDuringOutage, "The append returned while storage was unreachable.");
        Assert.Equal(during, accepted);
        Assert.Empty(again);
        Assert.Equal([new MinuteTally(Start, 60, 0)], tallies);
    }

    [Fact]
    public async Task AppendNew_RecentlyStoredByThisProcess_RefusedFromMemory()
    {
        var prefix = NewPrefix();
        var store = Create(o => (o.TablePrefix, o.PartitionsPerAd) = (prefix, 1));
        var click = Event(AdEventKind.Click, Guid.NewGuid());
        await store.AppendNewAsync(Key, [click], Cancellation);
        // Gone from the table: only the memory of this process can still refuse it.
        await First.GetTableClient(TableOf(prefix, click.TokenIssuedAt)).DeleteEntityAsync(RawClickLayout.PartitionKey(Key.AdId, 0), RawClickLayout.RowKey(AdEventKind.Click, click.ImpressionId), cancellationToken: Cancellation);

        var again = await store.AppendNewAsync(Key, [click], Cancellation);
        var otherProcess = await Create(o => (o.TablePrefix, o.PartitionsPerAd) = (prefix, 1)).AppendNewAsync(Key, [click], Cancellation);

        Assert.Empty(again);
        Assert.Equal([click], otherProcess);
    }

    [Fact]
    public async Task DropExpiredTables_SomeOlderThanRetention_DropsOnlyThose()
    {
        var prefix = NewPrefix();
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var store = Create(o => (o.TablePrefix, o.RetentionDays) = (prefix, 3), time: TimeProvider.System);
        int[] daysAgo = [5, 4, 3, 1, 0];
        await store.AppendNewAsync(Key, [.. daysAgo.Select(d => IssuedOn(today.AddDays(-d)))], Cancellation);
        var otherPrefix = First.GetTableClient("x" + prefix + "20200101");
        await otherPrefix.CreateIfNotExistsAsync(Cancellation);

        var dropped = await store.DropExpiredTablesAsync(Cancellation);

        // Each event's hour is on its issue day, so each day has a day table and an hour index table.
        Assert.Equal(4, dropped);
        Assert.Equal([.. daysAgo[2..].Select(d => TableOf(prefix, today.AddDays(-d)))], await TablesAsync(prefix));
        Assert.Equal([.. daysAgo[2..].Select(d => TableOf(prefix + "hours", today.AddDays(-d)))], await TablesAsync(prefix + "hours"));
        Assert.Single(await TablesAsync("x" + prefix));
    }

    [Fact]
    public async Task Timer_AfterStart_DropsExpiredTables()
    {
        var prefix = NewPrefix();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var today = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var store = Create(o => (o.TablePrefix, o.RetentionDays) = (prefix, 3), time: time);
        await store.AppendNewAsync(Key, [IssuedOn(today.AddDays(-10)), IssuedOn(today)], Cancellation);

        time.Advance(TimeSpan.FromMinutes(1));

        await Eventually.MatchesAsync(() => TablesAsync(prefix), names => names.Count == 1);
    }

    [Fact]
    public async Task AppendNew_TransactionCommittedButAnswerLost_RetryStillReturnsTheEvents()
    {
        var losing = new LoseFirstBatchAnswer();
        var options = new TableClientOptions();
        options.AddPolicy(losing, HttpPipelinePosition.PerRetry);
        var store = Create(NoCache, accounts: [new TableServiceClient(fixture.Azurite.ConnectionString, options)]);
        var events = Enumerable.Range(0, 30).Select(i => Event(AdEventKind.Click, Guid.NewGuid(), Start.AddSeconds(i))).ToList();

        var accepted = await store.AppendNewAsync(Key, events, Cancellation);
        var again = await store.AppendNewAsync(Key, events, Cancellation);

        Assert.True(losing.Lost, "no answer was lost, so the test proved nothing");
        Assert.Equal(events.Select(e => e.ImpressionId).Order(), accepted.Select(e => e.ImpressionId).Order());
        Assert.Empty(again);
    }

    [Fact]
    public async Task AppendNew_RawInsertFailsAfterIndex_AdStillListed()
    {
        var failing = new FailTransactions();
        var options = new TableClientOptions();
        options.AddPolicy(failing, HttpPipelinePosition.PerRetry);
        var prefix = NewPrefix();
        var store = Create(o => o.TablePrefix = prefix, accounts: [new TableServiceClient(fixture.Azurite.ConnectionString, options)]);
        var click = Event(AdEventKind.Click, Guid.NewGuid(), Start.AddMinutes(5));

        // One ad-hour's index row is a single upsert; the raw events always go in as a transaction.
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AppendNewAsync(Key, [click], Cancellation));
        var listed = await Create(o => o.TablePrefix = prefix).ListActiveAdsAsync(Start, AdSlice.Of(Key.AdId), Cancellation);

        Assert.True(failing.Failed > 0, "no transaction was attempted, so the test proved nothing");
        Assert.Equal([Key], listed);
        Assert.Equal(0, await CountEntitiesAsync(First.GetTableClient(TableOf(prefix, click.TokenIssuedAt))));
    }

    [Fact]
    public async Task AppendNew_AdHourIndexedBefore_UpsertsOncePerProcess()
    {
        var prefix = NewPrefix();
        var store = Create(o => o.TablePrefix = prefix);
        await store.AppendNewAsync(Key, [Event(AdEventKind.Click, Guid.NewGuid(), Start.AddMinutes(1))], Cancellation);
        var partition = new RawClickLayout(prefix, 8, 1).HourPartitionOf(Start, AdSlice.Of(Key.AdId));
        var index = First.GetTableClient(partition.Table);
        // Gone from the index: only a new upsert can bring it back.
        await index.DeleteEntityAsync(partition.PartitionKey, RawClickLayout.HourRowKey(Key), cancellationToken: Cancellation);

        await store.AppendNewAsync(Key, [Event(AdEventKind.Click, Guid.NewGuid(), Start.AddMinutes(2))], Cancellation);
        var afterSameProcess = await store.ListActiveAdsAsync(Start, AdSlice.Of(Key.AdId), Cancellation);
        var otherProcess = Create(o => o.TablePrefix = prefix);
        await otherProcess.AppendNewAsync(Key, [Event(AdEventKind.Click, Guid.NewGuid(), Start.AddMinutes(3))], Cancellation);
        var afterOtherProcess = await store.ListActiveAdsAsync(Start, AdSlice.Of(Key.AdId), Cancellation);

        Assert.Empty(afterSameProcess);
        Assert.Equal([Key], afterOtherProcess);
    }

    [Fact]
    public async Task ListActiveAds_TwoAccountsAndAnotherProcess_ListsEveryAdFromItsPartitionsAccount()
    {
        var prefix = NewPrefix();
        var ads = Enumerable.Range(0, 20).Select(i => new AdKey(Guid.NewGuid(), i % 3)).ToList();
        var store = Create(o => o.TablePrefix = prefix, accounts: [First, Second]);
        await Task.WhenAll(ads.Select(ad => store.AppendNewAsync(ad, [Event(AdEventKind.Impression, Guid.NewGuid(), Start.AddMinutes(30)) with { AdId = ad.AdId }], Cancellation)));

        var otherProcess = Create(o => o.TablePrefix = prefix, accounts: [First, Second]);
        var listed = await Task.WhenAll(ads.Select(ad => otherProcess.ListActiveAdsAsync(Start, AdSlice.Of(ad.AdId), Cancellation)));

        Assert.All(ads.Zip(listed), pair => Assert.Contains(pair.First, pair.Second));
        var layout = new RawClickLayout(prefix, 8, 2);
        var accounts = new HashSet<int>();
        foreach (var ad in ads)
        {
            var partition = layout.HourPartitionOf(Start, AdSlice.Of(ad.AdId));
            var row = await (partition.Account == 0 ? First : Second).GetTableClient(partition.Table)
                .GetEntityIfExistsAsync<TableEntity>(partition.PartitionKey, RawClickLayout.HourRowKey(ad), cancellationToken: Cancellation);
            Assert.True(row.HasValue, $"{ad} is not indexed in account {partition.Account}");
            accounts.Add(partition.Account);
        }

        Assert.Equal(2, accounts.Count);
    }

    [Fact]
    public async Task ListActiveAds_ManyAdsOfOneSliceAtOnce_ListsEachOnce()
    {
        var prefix = NewPrefix();
        var store = Create(o => o.TablePrefix = prefix);
        // More than a transaction's worth of rows in one index partition, written concurrently.
        var ads = Enumerable.Range(0, 150).Select(i => new AdKey(InSlice(0x5a), i % 2)).ToList();

        await Task.WhenAll(ads.Select(ad => store.AppendNewAsync(ad, [Event(AdEventKind.Click, Guid.NewGuid(), Start) with { AdId = ad.AdId }, Event(AdEventKind.Click, Guid.NewGuid(), Start.AddHours(1)) with { AdId = ad.AdId }], Cancellation)));
        var listed = await store.ListActiveAdsAsync(Start, 0x5a, Cancellation);
        var nextHour = await store.ListActiveAdsAsync(Start.AddHours(1), 0x5a, Cancellation);

        var expected = ads.OrderBy(ad => ad.ToString(), StringComparer.Ordinal).ToList();
        Assert.Equal(expected, listed);
        Assert.Equal(expected, nextHour);
    }

    /// <summary>Counts requests that got no answer (storage unreachable) and says when enough have.</summary>
    private sealed class CountFailures : HttpPipelinePolicy
    {
        private readonly Lock _lock = new();
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
        private int _failed;

        public Task AtLeast(int count)
        {
            lock (_lock)
            {
                if (_failed >= count)
                {
                    return Task.CompletedTask;
                }

                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((count, reached));
                return reached.Task;
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            try
            {
                await ProcessNextAsync(message, pipeline);
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or IOException)
            {
                lock (_lock)
                {
                    _failed++;
                    _waiters.Where(w => _failed >= w.Count).ToList().ForEach(w => w.Reached.TrySetResult());
                }

                throw;
            }
        }
    }

    /// <summary>Rejects every entity-group transaction for good (not a transient failure); single-entity requests pass.</summary>
    private sealed class FailTransactions : HttpPipelinePolicy
    {
        private int _failed;

        public int Failed => _failed;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _failed);
                throw new InvalidOperationException("The transaction was rejected.");
            }

            await ProcessNextAsync(message, pipeline);
        }
    }

    /// <summary>Lets the first transaction reach the table, then throws as if the connection dropped before the answer.</summary>
    private sealed class LoseFirstBatchAnswer : HttpPipelinePolicy
    {
        public bool Lost { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (!Lost && message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && message.Response.Status == 202)
            {
                Lost = true;
                throw new IOException("The connection dropped before the answer arrived.");
            }
        }
    }

    private static void NoCache(AzureTableRawClickStoreOptions options) => options.RecentIdsCapacity = 0;

    private AzureTableRawClickStore Create(Action<AzureTableRawClickStoreOptions>? configure = null, TimeProvider? time = null, TableServiceClient[]? accounts = null)
    {
        var options = new AzureTableRawClickStoreOptions { RetentionDays = 36500 };
        configure?.Invoke(options);
        var store = new AzureTableRawClickStore(accounts ?? [First], options, time ?? TimeProvider.System, NullLogger<AzureTableRawClickStore>.Instance);
        _stores.Add(store);
        return store;
    }

    private AdEvent IssuedOn(DateTimeOffset day) =>
        Event(AdEventKind.Click, Guid.NewGuid(), day.AddHours(1)) with { TokenIssuedAt = day.AddMinutes(30), TokenExpiresAt = day.AddHours(2) };

    private static Guid InSlice(int slice)
    {
        var bytes = Guid.NewGuid().ToByteArray(bigEndian: true);
        bytes[0] = (byte)slice;
        return new Guid(bytes, bigEndian: true);
    }

    private static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    private static string TableOf(string prefix, DateTimeOffset day) => prefix + day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<List<string>> TablesAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (var table in First.QueryAsync(TableServiceClient.CreateQueryFilter($"TableName ge {prefix + "0"} and TableName le {prefix + "9"}"), cancellationToken: Cancellation))
        {
            names.Add(table.Name);
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }

    private static async Task<int> CountEntitiesAsync(TableClient table)
    {
        var count = 0;
        try
        {
            await foreach (var _ in table.QueryAsync<TableEntity>(select: ["RowKey"], cancellationToken: Cancellation))
            {
                count++;
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // This account got none of the partitions.
        }

        return count;
    }
}
