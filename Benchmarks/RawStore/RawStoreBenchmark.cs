using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Benchmarks.RawStore;

/// <summary>
/// AzureTableRawClickStore against a plain Azure.Data.Tables loop on the same Table endpoint: the same
/// events, batches, partitions and parallelism. The plain loop is told which events are new (no dedup
/// work at all); the store finds out by itself, through 409s. Rounds run A-B then B-A, since the
/// emulator slows down as it fills.
/// </summary>
public static class RawStoreBenchmark
{
    private const int PartitionsPerAd = 8;
    private const int MaxConcurrentTransactions = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var connectionString = options.Required("--connection-string");
        var settings = new RawStoreWorkload(
            Count: options.Int("--count", 20_000),
            Ads: options.Int("--ads", 50),
            DuplicateShare: options.Double("--duplicates", 0.1),
            BatchSize: options.Int("--batch", 200),
            ConcurrentBatches: options.Int("--parallel", 4));
        var rounds = options.Int("--rounds", 2);
        var service = new TableServiceClient(connectionString);
        var batches = settings.Generate(new Random(42));
        var distinct = batches.SelectMany(b => b.New).Count();
        Console.WriteLine($"{settings.Count} events ({distinct} distinct) over {settings.Ads} ads, batches of {settings.BatchSize}, {settings.ConcurrentBatches} ads at once, {PartitionsPerAd} partitions per ad");

        var plain = new List<double>();
        var store = new List<double>();
        var cold = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var prefix = $"r{round}";
            Func<Task>[] runs =
            [
                async () => plain.Add(await TimeAsync("plain Azure.Data.Tables loop", settings.Count, () => PlainAsync(service, prefix + "plain", batches, settings.ConcurrentBatches))),
                async () => store.Add(await TimeAsync("AzureTableRawClickStore", settings.Count, () => StoreAsync(service, prefix + "store", batches, settings.ConcurrentBatches, distinct, recentIds: 1_000_000))),
                async () => cold.Add(await TimeAsync("... without its id cache", settings.Count, () => StoreAsync(service, prefix + "cold", batches, settings.ConcurrentBatches, distinct, recentIds: 0))),
            ];
            foreach (var run in round % 2 == 0 ? runs : runs.Reverse())
            {
                await run();
            }
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"mean events/s: plain {plain.Average():N0}, store {store.Average():N0} (ratio {store.Average() / plain.Average():F2}), store without id cache {cold.Average():N0} (ratio {cold.Average() / plain.Average():F2})"));
        return 0;
    }

    // Without the id cache, every duplicate of an earlier batch is found by a 409, as after a silo restart.
    private static async Task StoreAsync(TableServiceClient service, string prefix, IReadOnlyList<RawStoreBatch> batches, int concurrentBatches, int distinct, int recentIds)
    {
        var options = new AzureTableRawClickStoreOptions
        {
            TablePrefix = prefix,
            PartitionsPerAd = PartitionsPerAd,
            MaxConcurrentTransactions = MaxConcurrentTransactions,
            RecentIdsCapacity = recentIds,
        };
        await using var store = new AzureTableRawClickStore([service], options, TimeProvider.System, NullLogger<AzureTableRawClickStore>.Instance);
        var accepted = 0;
        await ForEachAdAsync(batches, concurrentBatches, async batch => Interlocked.Add(ref accepted, (await store.AppendNewAsync(batch.Key, batch.All)).Count));
        if (accepted != distinct)
        {
            throw new InvalidOperationException($"The store accepted {accepted} events, not the {distinct} distinct ones.");
        }
    }

    private static async Task PlainAsync(TableServiceClient service, string prefix, IReadOnlyList<RawStoreBatch> batches, int concurrentBatches)
    {
        foreach (var table in batches.SelectMany(b => b.New).Select(e => TableName(prefix, e)).Distinct())
        {
            await service.GetTableClient(table).CreateIfNotExistsAsync();
        }

        await ForEachAdAsync(batches, concurrentBatches, async batch =>
        {
            var chunks = batch.New
                .GroupBy(e => (Table: TableName(prefix, e), PartitionKey: PartitionKey(e)))
                .SelectMany(g => g.Chunk(100).Select(c => (g.Key.Table, Actions: c.Select(e => new TableTransactionAction(TableTransactionActionType.Add, Entity(e, g.Key.PartitionKey))).ToList())));
            await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentTransactions }, async (chunk, token) =>
                await service.GetTableClient(chunk.Table).SubmitTransactionAsync(chunk.Actions, token));
        });
    }

    // Each ad's batches in order, as its grain would write them; several ads at once.
    private static Task ForEachAdAsync(IReadOnlyList<RawStoreBatch> batches, int concurrentAds, Func<RawStoreBatch, Task> write) =>
        Parallel.ForEachAsync(batches.GroupBy(b => b.Key), new ParallelOptions { MaxDegreeOfParallelism = concurrentAds }, async (ad, _) =>
        {
            foreach (var batch in ad)
            {
                await write(batch);
            }
        });

    private static async Task<double> TimeAsync(string name, int events, Func<Task> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        var rate = events / watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-30} {watch.Elapsed.TotalSeconds,6:F2} s  {rate,8:N0} events/s"));
        return rate;
    }

    private static string TableName(string prefix, AdEvent e) => prefix + e.TokenIssuedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string PartitionKey(AdEvent e) =>
        string.Create(CultureInfo.InvariantCulture, $"{e.AdId:N}-{(int)(System.IO.Hashing.XxHash32.HashToUInt32(e.ImpressionId.ToByteArray()) % PartitionsPerAd):D2}");

    private static TableEntity Entity(AdEvent e, string partitionKey) => new(partitionKey, (e.Kind == AdEventKind.Click ? "c" : "i") + e.ImpressionId.ToString("N"))
    {
        ["Kind"] = e.Kind.ToString(),
        ["Shard"] = 0,
        ["AdId"] = e.AdId,
        ["CampaignId"] = e.CampaignId,
        ["EventTime"] = e.Timestamp,
        ["TokenIssuedAt"] = e.TokenIssuedAt,
        ["TokenExpiresAt"] = e.TokenExpiresAt,
        ["Billable"] = e.Billable,
        ["UserAgent"] = e.UserAgent,
        ["ClientIp"] = e.ClientIp,
    };

}
