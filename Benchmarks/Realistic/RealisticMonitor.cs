using System.Diagnostics;
using System.Net;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Benchmarks.Realistic;

/// <summary>
/// Runs beside the load until the stop file appears, logging two things to one file:
/// <list type="bullet">
/// <item>the probe: every interval, a fresh token (minted offline) of the next probe ad that has no probe outstanding is
/// clicked, and that ad's minute series polled until its total includes the click; "probe,clickedAtMs,latencyMs"
/// (latency -1 when the beacon did not answer 302). One probe outstanding per ad, so the count tells which click
/// it shows; a slot whose ad is still busy is skipped;</item>
/// <item>the load advertiser's total clicks, polled every 200 ms: "total,atMs,clicks", from which the report reads the lag
/// after each phase and that the count never rose above the distinct tokens sent.</item>
/// </list>
/// </summary>
public static class RealisticMonitor
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan TotalEvery = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var api = options.String("--api", "http://127.0.0.1:5000");
        var signingKey = SigningKey.Parse(options.Required("--signing-key"));
        var probeKey = options.Required("--probe-key");
        var probeAds = options.Required("--probe-ads").Split(',').Select(Guid.Parse).ToArray();
        var probeCampaign = Guid.Parse(options.Required("--probe-campaign"));
        var advertiser = Guid.Parse(options.Required("--advertiser"));
        var advertiserKey = options.Required("--advertiser-key");
        var interval = TimeSpan.FromMilliseconds(options.Int("--interval-ms", 250));
        var log = options.Required("--log");
        var stop = options.Required("--stop");

        using var output = new StreamWriter(log, append: false) { AutoFlush = true };
        using var probeClient = RealisticHttp.Client(api, probeKey);
        using var loadClient = RealisticHttp.Client(api, advertiserKey);
        using var cancel = new CancellationTokenSource();
        var gate = new Lock();
        void Write(string line)
        {
            lock (gate)
            {
                output.WriteLine(line);
            }
        }

        var totals = PollTotalsAsync(loadClient, $"/api/analytics/advertisers/{advertiser}?granularity=day", Write, cancel.Token);
        var minter = new ClickTokenMinter(signingKey, TimeSpan.FromDays(1));
        var known = new long[probeAds.Length];
        var outstanding = new Task?[probeAds.Length];
        using var timer = new PeriodicTimer(interval);
        var slot = 0;
        while (!File.Exists(stop))
        {
            var ad = slot++ % probeAds.Length;
            if (outstanding[ad] is null or { IsCompleted: true })
            {
                outstanding[ad] = ProbeAsync(ad);
            }

            await timer.WaitForNextTickAsync();
        }

        await Task.WhenAll(outstanding.OfType<Task>());
        await cancel.CancelAsync();
        await totals;
        return 0;

        async Task ProbeAsync(int ad)
        {
            var series = $"/api/analytics/ads/{probeAds[ad]}?granularity=minute";
            var clickedAt = RealisticHttp.UnixMilliseconds();
            var started = Stopwatch.GetTimestamp();
            var latency = -1.0;
            try
            {
                if (await RealisticHttp.ClickAsync(probeClient, minter.Mint(probeAds[ad], probeCampaign).Text) == HttpStatusCode.Redirect)
                {
                    known[ad]++;
                    while ((await RealisticHttp.TryClicksAsync(probeClient, series) ?? -1) < known[ad] && Stopwatch.GetElapsedTime(started) < GiveUpAfter)
                    {
                        await Task.Delay(PollEvery);
                    }

                    latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }
            catch (HttpRequestException)
            {
                // Logged as not accepted.
            }

            Write(RealisticHttp.Invariant($"probe,{clickedAt},{latency:F1}"));
        }
    }

    private static async Task PollTotalsAsync(HttpClient client, string path, Action<string> write, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TotalEvery);
        try
        {
            do
            {
                if (await RealisticHttp.TryClicksAsync(client, path, cancellationToken) is { } clicks)
                {
                    write(RealisticHttp.Invariant($"total,{RealisticHttp.UnixMilliseconds()},{clicks}"));
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped with the probe.
        }
    }
}
