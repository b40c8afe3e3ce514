using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.Runtime;

namespace Orleans.AdClicks.Benchmarks.Counting;

/// <summary>
/// Raw-store reads of the counting grains per 1,000 accepted events: a real silo with the embedded stores, whose
/// raw click store counts its <c>CountAsync</c> calls, streams a few events per ad in each of several minutes (the
/// silo's clock moved on a minute per round, as traffic spread over time would), a fraction of them late by hours.
/// A count, not a time: it does not depend on the machine.
/// </summary>
public static class CountingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var ads = options.Int("--ads", 500);
        var minutes = options.Int("--minutes", 10);
        var perMinute = options.Int("--events-per-minute", 4);
        var late = options.Double("--late", 0.01);
        var data = Path.Combine(Path.GetTempPath(), "adclicks-counting-bench-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["AdClicks:DataDirectory"] = data,
            ["AdClicks:Cluster:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["AdClicks:Cluster:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
        };

        var clock = new MovingClock();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseAdClicksClustering(builder.Configuration).AddAdClicks(builder.Configuration);
            silo.Services.AddSingleton<TimeProvider>(clock);
            var registered = silo.Services.Last(d => d.ServiceType == typeof(IRawClickStore));
            silo.Services.Remove(registered);
            silo.Services.AddSingleton(sp => new CountingRawClickStore((IRawClickStore)registered.ImplementationFactory!(sp)));
            silo.Services.AddSingleton<IRawClickStore>(sp => sp.GetRequiredService<CountingRawClickStore>());
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var store = host.Services.GetRequiredService<CountingRawClickStore>();
            var stream = host.Services.GetRequiredService<IClusterClient>().GetStreamProvider(Constants.StreamProvider);
            var adIds = Enumerable.Range(0, ads).Select(_ => Guid.NewGuid()).ToList();
            var campaignId = Guid.NewGuid();
            var random = new Random(7);
            var published = 0;
            var lateEvents = 0;
            for (var round = 0; round < minutes; round++)
            {
                clock.Offset = TimeSpan.FromMinutes(round);
                var minute = MinuteBucket.Of(clock.GetUtcNow());
                await Task.WhenAll(adIds.Select(async adId =>
                {
                    var events = Enumerable.Range(0, perMinute).Select(i =>
                    {
                        var at = random.NextDouble() < late ? minute.AddHours(-3) : minute.AddSeconds(i);
                        return new AdEvent(AdEventKind.Click, Guid.NewGuid(), adId, campaignId, at, at.AddMinutes(-1), at.AddHours(20), true, null, null);
                    }).ToList();
                    Interlocked.Add(ref lateEvents, events.Count(e => e.Timestamp < minute));
                    await stream.GetStream<AdEvent>(StreamId.Create(Constants.ClicksNamespace, new AdKey(adId, 0).ToString())).OnNextBatchAsync(events);
                }));
                published += ads * perMinute;

                // The round's events are all counted before the clock moves on, so each lands in the minute it was sent in.
                while (store.Accepted < published)
                {
                    await Task.Delay(20);
                }
            }

            var reads = store.Counts;
            Console.WriteLine($"{ads} ads x {minutes} minutes x {perMinute} events ({lateEvents} late by 3 hours): {store.Accepted} accepted, "
                + $"{reads} raw-store reads (CountAsync), {reads * 1000.0 / store.Accepted:F1} per 1,000 accepted events, "
                + $"{reads - ads} beyond one per ad's activation; {store.BreakdownCounts} breakdown recounts (CountBreakdownsAsync), "
                + $"{store.BreakdownCounts * 1000.0 / store.Accepted:F1} per 1,000 accepted events");
            return 0;
        }
        finally
        {
            await host.StopAsync();
            Directory.Delete(data, recursive: true);
        }
    }


    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The system clock moved forward by <see cref="Offset"/>: a minute of traffic per round without waiting a minute.</summary>
    private sealed class MovingClock : TimeProvider
    {
        private long _offsetTicks;

        public TimeSpan Offset
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
            set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
        }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }
}
