using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Benchmarks.Aggregates;

/// <summary>
/// The DuckDB aggregate writer's commit cost as the counting grains load it: a store on a fresh file, then a write
/// per minute of <c>--rows</c> ads (of <c>--ads</c>, a different random subset each minute) for <c>--minutes</c>
/// minutes, each awaited, so each is one commit; and every tenth minute the previous minute rewritten at a higher
/// version, as a late event repairs it. Reports ms per commit (p50/p99/mean) after the first hour, when the file
/// holds an hour and more of rows.
/// </summary>
public static class WriterCommitBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var adCount = options.Int("--ads", 20_000);
        var rowsPerCommit = options.Int("--rows", 2_000);
        var minutes = options.Int("--minutes", 180);
        var directory = Path.Combine(Path.GetTempPath(), "adclicks-writer-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var store = DuckDbAggregateStore.Open(Path.Combine(directory, "aggregates.duckdb"), NullLogger<DuckDbAggregateStore>.Instance);
            var random = new Random(3);
            var ads = Enumerable.Range(0, adCount).Select(_ => (Id: Guid.NewGuid(), Campaign: Guid.NewGuid(), Advertiser: Guid.NewGuid())).ToArray();
            var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
            var times = new List<double>();
            MinuteCountRow[] previous = [];
            for (var m = 0; m < minutes; m++)
            {
                random.Shuffle(ads);
                var rows = ads.Take(rowsPerCommit)
                    .Select(ad => new MinuteCountRow(ad.Id, 0, ad.Campaign, ad.Advertiser, start.AddMinutes(m), random.Next(0, 3), random.Next(1, 100), m + 1))
                    .ToArray();
                var started = Stopwatch.GetTimestamp();
                await store.WriteAsync(rows);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (m % 10 == 9)
                {
                    started = Stopwatch.GetTimestamp();
                    await store.WriteAsync([.. previous.Select(r => r with { Clicks = r.Clicks + 1, Version = r.Version + 1_000 })]);
                    elapsed += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

                if (m >= 60)
                {
                    times.Add(elapsed);
                }

                previous = rows;
            }

            times.Sort();
            Console.WriteLine(FormattableString.Invariant(
                $"{rowsPerCommit:N0} rows per commit of {adCount:N0} ads, {minutes} minutes (a repair of the previous minute every 10th, its time added to that minute's): after the first hour, per minute p50 {Percentile(times, 0.5):F1} ms, p99 {Percentile(times, 0.99):F1} ms, mean {times.Average():F1} ms"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
