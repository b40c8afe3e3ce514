using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Aggregates.Queries;

namespace Orleans.AdClicks.Benchmarks.Queries;

/// <summary>
/// The analytics reads on the embedded aggregate store (the real <see cref="DuckDbAggregateStore"/> and its schema) over
/// 24 h of minute rows for many ads: one ad's minute series, an advertiser's top 100 ads, a campaign's day series by
/// hour and by minute, each run repeatedly and timed as the Api calls it (p50/p99). The file is filled by DuckDB's
/// appender in the order the writer's commits would leave it (minute by minute), with Zipf (s = 1) activity: the
/// ad of rank r has events at a rate proportional to 1/r, so hot ads have a row every minute and most ads few.
/// </summary>
public static class QueryBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var adCount = options.Int("--ads", 100_000);
        var advertiserCount = options.Int("--advertisers", 10);
        var campaignCount = options.Int("--campaigns", 1_000);
        var eventsPerSecond = options.Double("--events-per-second", 500);
        var runs = options.Int("--runs", 200);
        var warmup = options.Int("--warmup", 20);
        var explain = options.String("--explain", "false") == "true";
        var directory = Path.Combine(Path.GetTempPath(), "adclicks-queries-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "aggregates.duckdb");
        try
        {
            await using var store = DuckDbAggregateStore.Open(path, NullLogger<DuckDbAggregateStore>.Instance);
            var day = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
            var data = Generate(adCount, advertiserCount, campaignCount, eventsPerSecond, day);
            var filling = Stopwatch.StartNew();
            var rows = Fill(path, data, day, eventsPerSecond);
            Console.WriteLine(FormattableString.Invariant(
                $"{rows:N0} minute rows for {adCount:N0} ads ({campaignCount:N0} campaigns, {advertiserCount} advertisers) over 24 h, {eventsPerSecond:N0} events/s Zipf (s = 1): filled in {filling.Elapsed.TotalSeconds:F1} s"));
            Console.WriteLine(FormattableString.Invariant($"{runs} runs each after {warmup} warm-up runs; each run a different ad, advertiser or campaign"));

            var from = day;
            var to = day.AddDays(1);
            var random = new Random(7);
            var hotAds = data.Ads.Take(100).ToArray();
            var queries = new (string Name, Func<int, Task<int>> Run, Func<int, AggregateQuery> Query)[]
            {
                ("one ad's 24 h minute series (a top-100 ad: 1,440 rows)", i => Series(store, hotAds[i % hotAds.Length], data, SeriesScope.Ad(hotAds[i % hotAds.Length].Id), from, to, Granularity.Minute),
                    i => AggregateQuery.Series(AnalyticsTenant.Advertiser(hotAds[i % hotAds.Length].Advertiser), SeriesScope.Ad(hotAds[i % hotAds.Length].Id), from, to, Granularity.Minute)),
                ("one ad's 24 h minute series (any ad)", i => Series(store, data.Ads[Pick(random, data.Ads.Length)], data, null, from, to, Granularity.Minute),
                    i => AggregateQuery.Series(AnalyticsTenant.Advertiser(data.Ads[^1].Advertiser), SeriesScope.Ad(data.Ads[^1].Id), from, to, Granularity.Minute)),
                ("top 100 ads over 24 h of one advertiser", i => TopAds(store, data.Advertisers[i % data.Advertisers.Length], from, to),
                    i => AggregateQuery.TopAds(AnalyticsTenant.Advertiser(data.Advertisers[0]), new TopAdsQuery(from, to, 100, null, data.Advertisers[0]))),
                ("a campaign's day series, hourly", i => CampaignSeries(store, data.Campaigns[i % data.Campaigns.Length], from, to, Granularity.Hour),
                    i => AggregateQuery.Series(AnalyticsTenant.Advertiser(data.Campaigns[0].Advertiser), SeriesScope.Campaign(data.Campaigns[0].Id), from, to, Granularity.Hour)),
                ("a campaign's day series, by minute", i => CampaignSeries(store, data.Campaigns[i % data.Campaigns.Length], from, to, Granularity.Minute),
                    i => AggregateQuery.Series(AnalyticsTenant.Advertiser(data.Campaigns[0].Advertiser), SeriesScope.Campaign(data.Campaigns[0].Id), from, to, Granularity.Minute)),
            };

            await PrintTableAsync(queries.Select(q => (q.Name, q.Run)), runs, warmup);
            if (explain)
            {
                Explain(path, queries.Select(q => (q.Name, q.Query(0))));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    private static async Task PrintTableAsync(IEnumerable<(string Name, Func<int, Task<int>> Run)> queries, int runs, int warmup)
    {
        Console.WriteLine();
        Console.WriteLine("| query | rows back (median) | p50 | p99 | max |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, run) in queries)
        {
            for (var i = 0; i < warmup; i++)
            {
                await run(i);
            }

            var times = new double[runs];
            var counts = new int[runs];
            for (var i = 0; i < runs; i++)
            {
                var started = Stopwatch.GetTimestamp();
                counts[i] = await run(i);
                times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            Array.Sort(times);
            Array.Sort(counts);
            Console.WriteLine(FormattableString.Invariant(
                $"| {name} | {counts[runs / 2]:N0} | {Percentile(times, 0.50):F1} ms | {Percentile(times, 0.99):F1} ms | {times[^1]:F1} ms |"));
        }
    }

    private static async Task<int> Series(DuckDbAggregateStore store, Ad ad, Data data, SeriesScope? scope, DateTimeOffset from, DateTimeOffset to, Granularity granularity) =>
        (await store.QuerySeriesAsync(AnalyticsTenant.Advertiser(ad.Advertiser), scope ?? SeriesScope.Ad(ad.Id), from, to, granularity)).Count;

    private static async Task<int> TopAds(DuckDbAggregateStore store, Guid advertiser, DateTimeOffset from, DateTimeOffset to) =>
        (await store.QueryTopAdsAsync(AnalyticsTenant.Advertiser(advertiser), new TopAdsQuery(from, to, 100, null, advertiser))).Count;

    private static async Task<int> CampaignSeries(DuckDbAggregateStore store, Campaign campaign, DateTimeOffset from, DateTimeOffset to, Granularity granularity) =>
        (await store.QuerySeriesAsync(AnalyticsTenant.Advertiser(campaign.Advertiser), SeriesScope.Campaign(campaign.Id), from, to, granularity)).Count;

    private static int Pick(Random random, int count) => random.Next(count);

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static Data Generate(int adCount, int advertiserCount, int campaignCount, double eventsPerSecond, DateTimeOffset day)
    {
        var random = new Random(42);
        var advertisers = Enumerable.Range(0, advertiserCount).Select(_ => Guid.NewGuid()).ToArray();
        var campaigns = Enumerable.Range(0, campaignCount).Select(i => new Campaign(Guid.NewGuid(), advertisers[i % advertiserCount])).ToArray();

        // Rank order: the ad at index r has rank r + 1; its campaign is random, so hot ads are spread over advertisers.
        var ads = Enumerable.Range(0, adCount).Select(_ =>
        {
            var campaign = campaigns[random.Next(campaignCount)];
            return new Ad(Guid.NewGuid(), campaign.Id, campaign.Advertiser);
        }).ToArray();
        return new Data(advertisers, campaigns, ads);
    }

    /// <summary>Appends the rows minute by minute; an ad of rank r has Poisson(λ/r) events in a minute, a row when that is above zero.</summary>
    private static long Fill(string path, Data data, DateTimeOffset day, double eventsPerSecond)
    {
        var harmonic = 0.0;
        for (var r = 1; r <= data.Ads.Length; r++)
        {
            harmonic += 1.0 / r;
        }

        var perMinute = eventsPerSecond * 60 / harmonic;
        var random = new Random(1);
        long rows = 0;
        using var connection = new DuckDBConnection(new DuckDBConnectionStringBuilder { DataSource = Path.GetFullPath(path) }.ConnectionString);
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            // Appending into the keyed table checks its key row by row; a bare copy then one INSERT builds it in bulk.
            create.CommandText = "CREATE TEMP TABLE minute_counts_fill AS FROM minute_counts LIMIT 0";
            create.ExecuteNonQuery();
        }

        var appending = Stopwatch.StartNew();
        using (var appender = connection.CreateAppender("minute_counts_fill"))
        {
            for (var m = 0; m < 1440; m++)
            {
                var minute = day.AddMinutes(m).UtcDateTime;
                for (var r = 0; r < data.Ads.Length; r++)
                {
                    var rate = perMinute / (r + 1);
                    var events = Poisson(random, rate);
                    if (events == 0)
                    {
                        continue;
                    }

                    // About 2 % of events are clicks.
                    var clicks = rate > 50 ? (long)Math.Round(events * 0.02) : Binomial(random, events, 0.02);
                    var ad = data.Ads[r];
                    appender.CreateRow()
                        .AppendValue(ad.Id)
                        .AppendValue(0)
                        .AppendValue(minute)
                        .AppendValue(ad.Campaign)
                        .AppendValue(ad.Advertiser)
                        .AppendValue(clicks)
                        .AppendValue(events - clicks)
                        .AppendValue((long)m + 1)
                        .EndRow();
                    rows++;
                }
            }
        }

        using var command = connection.CreateCommand();
        var appended = appending.Elapsed;
        command.CommandText = """
            INSERT INTO minute_counts FROM minute_counts_fill;
            DROP TABLE minute_counts_fill;
            INSERT INTO latest_versions SELECT CAST(ad_id AS VARCHAR) || '/' || shard, max(version) FROM minute_counts GROUP BY ALL;
            """;
        command.ExecuteNonQuery();
        command.CommandText = DuckDbAggregateDatabase.HourBackfillSql;
        command.ExecuteNonQuery();
        command.CommandText = "CHECKPOINT";
        command.ExecuteNonQuery();
        Console.WriteLine(FormattableString.Invariant($"appended in {appended.TotalSeconds:F1} s, inserted with the keys and the hourly rollup, and checkpointed in {(appending.Elapsed - appended).TotalSeconds:F1} s"));
        return rows;
    }

    /// <summary>A Poisson draw: Knuth's method for small rates, the normal approximation for large ones.</summary>
    private static long Poisson(Random random, double rate)
    {
        if (rate > 50)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return Math.Max(0, (long)Math.Round(rate + Math.Sqrt(rate) * normal));
        }

        var limit = Math.Exp(-rate);
        long k = 0;
        var product = random.NextDouble();
        while (product > limit)
        {
            k++;
            product *= random.NextDouble();
        }

        return k;
    }

    private static long Binomial(Random random, long trials, double p)
    {
        long successes = 0;
        for (var i = 0; i < trials; i++)
        {
            if (random.NextDouble() < p)
            {
                successes++;
            }
        }

        return successes;
    }

    private static void Explain(string path, IEnumerable<(string Name, AggregateQuery Query)> queries)
    {
        using var connection = new DuckDBConnection(new DuckDBConnectionStringBuilder { DataSource = Path.GetFullPath(path) }.ConnectionString);
        connection.Open();
        foreach (var (name, query) in queries)
        {
            var (sql, parameters) = DuckDbSqlRenderer.Render(query);
            using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN ANALYZE " + sql;
            command.Parameters.AddRange(parameters);
            using var reader = command.ExecuteReader();
            Console.WriteLine();
            Console.WriteLine($"-- {name}");
            while (reader.Read())
            {
                Console.WriteLine(reader.GetString(reader.FieldCount - 1));
            }
        }
    }

    private sealed record Data(Guid[] Advertisers, Campaign[] Campaigns, Ad[] Ads);

    private sealed record Campaign(Guid Id, Guid Advertiser);

    private sealed record Ad(Guid Id, Guid Campaign, Guid Advertiser);
}
