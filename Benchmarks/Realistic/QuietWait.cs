using System.Diagnostics;
using System.Globalization;

namespace Orleans.AdClicks.Benchmarks.Realistic;

/// <summary>
/// Between the realistic load's phases: returns once the monitor's log shows the advertiser's total unchanged for
/// --stable-seconds after --since (unix ms, the end of the wrk run), or after --max-seconds; so the next phase starts on
/// an Api that has caught up, and the lag after each phase can be read from the log.
/// </summary>
public static class QuietWait
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var log = options.Required("--log");
        var since = long.Parse(options.Required("--since"), CultureInfo.InvariantCulture);
        var stable = options.Int("--stable-seconds", 3) * 1000L;
        var max = TimeSpan.FromSeconds(options.Int("--max-seconds", 60));
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < max)
        {
            var totals = File.ReadAllLines(log).Select(line => line.Split(','))
                .Where(f => f[0] == "total").Select(f => (At: long.Parse(f[1], CultureInfo.InvariantCulture), Clicks: long.Parse(f[2], CultureInfo.InvariantCulture)))
                .Where(t => t.At >= since).ToList();
            if (totals.Count > 0)
            {
                var last = totals[^1];
                var changed = totals.LastOrDefault(t => t.Clicks != last.Clicks).At;
                if (last.At - Math.Max(changed, since) >= stable)
                {
                    return 0;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Console.Error.WriteLine($"the total still changed {max.TotalSeconds} s after the run");
        return 0;
    }
}
