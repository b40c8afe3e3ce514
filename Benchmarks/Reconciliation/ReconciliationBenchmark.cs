using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Benchmarks.Reconciliation;

/// <summary>
/// One hour of events in a silo's stores, with some aggregate rows made wrong; then, alternating, the
/// reconciliation run (fan-out over slice grains, repairs through ad grains) and a baseline: a plain
/// sequential loop over the same stores that lists, recounts and compares every ad but repairs nothing.
/// </summary>
public static class ReconciliationBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var events = options.Int("--events", 100_000);
        var ads = options.Int("--ads", 1_000);
        var drift = options.Double("--drift", 0.01);
        var rounds = options.Int("--rounds", 3);
        var data = Path.Combine(Path.GetTempPath(), "adclicks-reconciliation-bench-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["AdClicks:DataDirectory"] = data,
            ["AdClicks:Cluster:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["AdClicks:Cluster:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["ConnectionStrings:AzureStorage"] = options.String("--connection-string"),
        };

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.UseAdClicksClustering(builder.Configuration).AddAdClicks(builder.Configuration));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var raw = host.Services.GetRequiredService<IRawClickStore>();
            var writer = host.Services.GetRequiredService<IMinuteCountWriter>();
            var aggregates = host.Services.GetRequiredService<IAggregateQueries>();
            var grains = host.Services.GetRequiredService<IGrainFactory>();

            // Hours back, so the hourly reminder never picks this hour by itself.
            var hour = MinuteBucket.Truncate(DateTimeOffset.UtcNow, Granularity.Hour).AddHours(-3);
            var filling = Stopwatch.StartNew();
            var (rows, wrong) = await FillAsync(raw, writer, hour, events, ads, drift);
            Console.WriteLine($"{(options.Has("--connection-string") ? "Azure Storage" : "embedded")} profile: {events} events over {ads} ads in {hour:O} (written in {filling.Elapsed.TotalSeconds:F1} s), {rows} minute rows, {wrong} made wrong; {Environment.ProcessorCount} cores");

            var grainRuns = new List<double>();
            var loops = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                Func<Task>[] runs =
                [
                    async () => grainRuns.Add(await RunGrainsAsync(grains, hour)),
                    async () => loops.Add(await PlainLoopAsync(raw, aggregates, hour)),
                ];
                foreach (var run in round % 2 == 0 ? runs : runs.Reverse())
                {
                    await run();
                }
            }

            var first = grainRuns[0];
            var steady = grainRuns.Skip(1).DefaultIfEmpty(first).Median();
            var loop = loops.Median();
            Console.WriteLine($"first run (repairs): {first:F2} s; later runs median {steady:F2} s; plain loop median {loop:F2} s; ratio later runs / plain loop = {steady / loop:F2}");
            return 0;
        }
        finally
        {
            await host.StopAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<(int Rows, int Wrong)> FillAsync(IRawClickStore raw, IMinuteCountWriter aggregates, DateTimeOffset hour, int count, int adCount, double drift)
    {
        var random = new Random(42);
        var ads = Enumerable.Range(0, adCount).Select(_ => (Id: Guid.NewGuid(), Campaign: Guid.NewGuid())).ToArray();
        var all = Enumerable.Range(0, count).Select(i =>
        {
            var (ad, campaign) = ads[random.Next(ads.Length)];
            var at = hour.AddSeconds(random.NextDouble() * 3600);
            return new AdEvent(i % 10 == 0 ? AdEventKind.Click : AdEventKind.Impression, Guid.NewGuid(), ad, campaign, at, hour.AddMinutes(-5), hour.AddHours(2), true, "Mozilla/5.0", "203.0.113.0");
        }).ToList();

        await Parallel.ForEachAsync(all.GroupBy(e => e.AdId), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (ad, token) =>
        {
            foreach (var chunk in ad.Chunk(200))
            {
                await raw.AppendNewAsync(new AdKey(ad.Key, 0), chunk, token);
            }
        });

        var version = DateTimeOffset.UtcNow.UtcTicks;
        var rows = all.GroupBy(e => (e.AdId, e.CampaignId, e.Minute))
            .Select(g => new MinuteCountRow(g.Key.AdId, 0, g.Key.CampaignId, Guid.Empty, g.Key.Minute, g.Count(e => e.Kind == AdEventKind.Click), g.Count(e => e.Kind != AdEventKind.Click), version))
            .ToList();

        // Drift: some rows are missing, some carry an extra click.
        var written = new List<MinuteCountRow>(rows.Count);
        var wrong = 0;
        foreach (var row in rows)
        {
            if (random.NextDouble() >= drift)
            {
                written.Add(row);
                continue;
            }

            wrong++;
            if (wrong % 2 == 0)
            {
                written.Add(row with { Clicks = row.Clicks + 1 });
            }
        }

        foreach (var chunk in written.Chunk(5_000))
        {
            await aggregates.WriteAsync(chunk);
        }

        return (rows.Count, wrong);
    }

    private static async Task<double> RunGrainsAsync(IGrainFactory grains, DateTimeOffset hour)
    {
        var stopwatch = Stopwatch.StartNew();
        var started = await grains.GetGrain<IReconciliationGrain>(0).RunNowAsync(hour);
        var run = grains.GetGrain<IReconciliationRunGrain>(ReconciliationHour.Key(hour));
        ReconciliationReport report;
        while ((report = (await run.GetReportsAsync()).Single(r => r.RunId == started.RunId)).CompletedAt is null)
        {
            await Task.Delay(10);
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"  reconciliation run: {seconds:F2} s, {report.AdsChecked} ads, {report.EventsRecounted} events recounted, {report.MismatchCount} mismatches, {report.RowsRepaired} rows repaired");
        return seconds;
    }

    private static async Task<double> PlainLoopAsync(IRawClickStore raw, IAggregateQueries aggregates, DateTimeOffset hour)
    {
        var stopwatch = Stopwatch.StartNew();
        long adsChecked = 0;
        long recounted = 0;
        long mismatches = 0;
        for (var slice = 0; slice < AdSlice.Count; slice++)
        {
            var rows = (await aggregates.ReadHourAsync(hour, slice)).ToLookup(r => new AdKey(r.AdId, r.Shard));
            foreach (var ad in (await raw.ListActiveAdsAsync(hour, slice)).Union(rows.Select(g => g.Key)))
            {
                var stored = rows[ad].ToDictionary(r => r.Minute);
                foreach (var tally in await raw.CountAsync(ad, hour, hour.AddHours(1)))
                {
                    recounted += tally.Clicks + tally.Impressions;
                    var found = stored.GetValueOrDefault(tally.Minute);
                    mismatches += (tally.Clicks != found.Clicks ? 1 : 0) + (tally.Impressions != found.Impressions ? 1 : 0);
                }

                adsChecked++;
            }
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"  plain loop:         {seconds:F2} s, {adsChecked} ads, {recounted} events recounted, {mismatches} mismatches, nothing repaired");
        return seconds;
    }

    private static double Median(this IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

}
