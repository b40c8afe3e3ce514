using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Orleans.AdClicks.Benchmarks.Realistic;

/// <summary>
/// After the realistic load: finds the distinct tokens the Api phases sent (from the origin file and what each wrk thread
/// sent), clicks again every token that may have been in flight when a wrk run stopped (or all of a run's tokens when it
/// had errors), so that each one sent has been answered 302 once at least; waits for the advertiser's total to equal
/// them; and prints the summary table from the phases, the monitor's log and that count. Exit 1 when the count differs.
/// </summary>
public static class RealisticReport
{
    private static readonly TimeSpan CountWait = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkArgs.Parse(args);
        var api = options.String("--api", "http://127.0.0.1:5000");
        var directory = options.Required("--dir");
        var advertiser = options.Required("--advertiser");
        var advertiserKey = options.Required("--advertiser-key");
        var stride = options.Int("--threads", 2);
        var title = options.String("--title", "Realistic load");

        var phases = WrkPhase.ReadAll(Path.Combine(directory, "phases.tsv"));
        var origins = ReadOrigins(Path.Combine(directory, "requests.origin"));
        var seen = new bool[origins.Length];
        var unsure = new HashSet<int>();
        var distinctAfter = new Dictionary<WrkPhase, long>();
        long distinct = 0;
        var wrapped = false;
        foreach (var phase in phases.Where(p => p.IsApi))
        {
            foreach (var (thread, sent, recent) in phase.Threads)
            {
                long lines = (origins.Length - thread + stride - 1) / stride;
                long first = phase.Start / stride;
                wrapped |= first + sent > lines;
                for (long k = 0; k < sent; k++)
                {
                    var origin = origins[(((first + k) % lines) * stride) + thread];
                    if (!seen[origin])
                    {
                        seen[origin] = true;
                        distinct++;
                    }

                    // k = 0: wrk's first thread calls request() once to check it, and that request is never sent.
                    if (phase.Errors > 0 || k == 0 || k >= recent)
                    {
                        unsure.Add(origin);
                    }
                }
            }

            distinctAfter[phase] = distinct;
        }

        var (reclicked, refused) = await ClickAgainAsync(api, directory, stride, unsure);
        using var client = RealisticHttp.Client(api, advertiserKey);
        var counted = await WaitForCountAsync(client, $"/api/analytics/advertisers/{advertiser}?granularity=day", distinct);

        var log = File.ReadAllLines(Path.Combine(directory, "monitor.log")).Select(line => line.Split(',')).ToList();
        var probes = log.Where(f => f[0] == "probe").Select(f => (At: long.Parse(f[1], CultureInfo.InvariantCulture), Ms: double.Parse(f[2], CultureInfo.InvariantCulture))).ToList();
        var totals = log.Where(f => f[0] == "total").Select(f => (At: long.Parse(f[1], CultureInfo.InvariantCulture), Clicks: long.Parse(f[2], CultureInfo.InvariantCulture))).ToList();
        var highest = totals.Count == 0 ? 0 : totals.Max(t => t.Clicks);

        var report = new StringBuilder();
        report.AppendLine(RealisticHttp.Invariant($"### {title}"));
        report.AppendLine();
        report.AppendLine("| phase | server | connections | accepted req/s | ratio to bare | p50 | p99 | errors | server CPU (cores) | CPU per request | RSS max | click-to-queryable p50 / p99 (probes) | lag after | counted at rest / distinct sent |");
        report.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var ordered = phases.OrderBy(p => p.StartMs).ToList();
        var restAbove = false;
        foreach (var phase in phases)
        {
            var bare = phases.FirstOrDefault(p => !p.IsApi && p.Round == phase.Round && p.Kind == phase.Kind);
            var ratio = phase.IsApi && bare is not null ? (phase.AcceptedPerSecond / bare.AcceptedPerSecond).ToString("F2", CultureInfo.InvariantCulture) : "";
            var seconds = phase.Seconds;
            var accepted = phase.AcceptedPerSecond * seconds;
            var inPhase = probes.Where(p => p.At >= phase.LoadStartMs && p.At < phase.EndMs).ToList();
            var next = ordered.FirstOrDefault(p => p.StartMs >= phase.EndMs)?.LoadStartMs ?? long.MaxValue;
            var rest = phase.IsApi ? Rest(totals, phase.EndMs, next) : null;
            restAbove |= rest is { } r && r.Clicks > distinctAfter[phase];
            report.AppendLine(RealisticHttp.Invariant(
                $"| {phase.Label} | {phase.Server} | {phase.Connections} | {phase.AcceptedPerSecond:N0} | {ratio} | {Ms(phase.Summary["latency_p50_us"])} | {Ms(phase.Summary["latency_p99_us"])} | {phase.Errors:N0} | {phase.CpuSeconds / seconds:F2} | {phase.CpuSeconds / accepted * 1e6:F0} µs | {phase.RssMaxKb / 1024.0:N0} MB | {Probes(inPhase)} | {rest?.Lag ?? ""} | {(rest is null ? "" : RealisticHttp.Invariant($"{rest.Value.Clicks:N0} / {distinctAfter[phase]:N0}"))} |"));
        }

        report.AppendLine();
        foreach (var kind in new[] { "sustained", "burst" })
        {
            var rounds = phases.Where(p => p.IsApi && p.Kind == kind)
                .Select(p => (Api: p.AcceptedPerSecond, Bare: phases.FirstOrDefault(b => !b.IsApi && b.Round == p.Round && b.Kind == kind)?.AcceptedPerSecond))
                .Where(r => r.Bare is not null).ToList();
            if (rounds.Count > 0)
            {
                report.AppendLine(RealisticHttp.Invariant(
                    $"- {kind}: Api median {Median(rounds.Select(r => r.Api)):N0} accepted req/s, bare endpoint median {Median(rounds.Select(r => r.Bare!.Value)):N0}, ratio median {Median(rounds.Select(r => r.Api / r.Bare!.Value)):F2} over {rounds.Count} rounds"));
            }
        }

        var loaded = probes.Where(p => phases.Any(f => f.IsApi && f.Kind != "warm-up" && p.At >= f.LoadStartMs && p.At < f.EndMs)).ToList();
        var idle = probes.Where(p => phases.Any(f => !f.IsApi && p.At >= f.LoadStartMs && p.At < f.EndMs)).ToList();
        report.AppendLine($"- click-to-queryable while the Api is loaded (its sustained and burst phases): {Probes(loaded)}; while the bare endpoint is (Api idle): {Probes(idle)}; probes not accepted: {probes.Count(p => p.Ms < 0)}");
        report.AppendLine(RealisticHttp.Invariant($"- after the load: {reclicked:N0} tokens that may have been in flight at a run's end clicked again ({refused:N0} never answered 302); highest total seen during the run {highest:N0}{(restAbove ? "; after some phase the total rested ABOVE the distinct tokens sent so far" : "")}"));
        var exact = counted == distinct && refused == 0 && highest <= distinct && !restAbove;
        report.AppendLine(RealisticHttp.Invariant(
            $"- **counted clicks {counted:N0}, distinct tokens accepted {distinct:N0}: {(exact ? "equal" : "DIFFERENT")}**{(wrapped ? " (the request file ran out and wrapped: raise --requests)" : "")}"));
        Console.WriteLine(report);
        File.WriteAllText(Path.Combine(directory, "summary.md"), report.ToString());
        return exact ? 0 : 1;
    }

    private static int[] ReadOrigins(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var origins = new int[bytes.Length / sizeof(int)];
        Buffer.BlockCopy(bytes, 0, origins, 0, origins.Length * sizeof(int));
        return origins;
    }

    /// <summary>Clicks each of <paramref name="lines"/>' tokens until it is answered 302 (a few tries); the count clicked and never accepted.</summary>
    private static async Task<(int Clicked, int Refused)> ClickAgainAsync(string api, string directory, int threads, HashSet<int> lines)
    {
        var tokens = new List<string>(lines.Count);
        for (var thread = 0; thread < threads; thread++)
        {
            var line = thread;
            foreach (var text in File.ReadLines(RealisticSetup.RequestFile(directory, thread)))
            {
                if (lines.Contains(line))
                {
                    tokens.Add(text);
                }

                line += threads;
            }
        }

        using var client = RealisticHttp.Client(api);
        var refused = 0;
        await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (token, cancellationToken) =>
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                try
                {
                    if (await RealisticHttp.ClickAsync(client, token, cancellationToken) == HttpStatusCode.Redirect)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Tried again below.
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }

            Interlocked.Increment(ref refused);
        });
        return (tokens.Count, refused);
    }

    /// <summary>The total once it equals <paramref name="expected"/>, rises above it, or stops changing for the wait's length.</summary>
    private static async Task<long> WaitForCountAsync(HttpClient client, string path, long expected)
    {
        var watch = Stopwatch.StartNew();
        long counted = -1;
        while (watch.Elapsed < CountWait)
        {
            counted = await RealisticHttp.TryClicksAsync(client, path) ?? counted;
            if (counted >= expected)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return counted;
    }

    /// <summary>
    /// The total at rest after a run ended at <paramref name="end"/> (the last sample before <paramref name="next"/>) and how
    /// long after the end it was first seen; "≤" when it was already there at the first sample.
    /// </summary>
    private static (long Clicks, string Lag)? Rest(List<(long At, long Clicks)> totals, long end, long next)
    {
        var window = totals.Where(t => t.At >= end && t.At < next).ToList();
        if (window.Count == 0)
        {
            return null;
        }

        var final = window[^1].Clicks;
        var first = window.Count - 1;
        while (first > 0 && window[first - 1].Clicks == final)
        {
            first--;
        }

        var lag = (window[first].At - end) / 1000.0;
        return (final, RealisticHttp.Invariant($"{(first == 0 ? "≤ " : "")}{lag:F1} s"));
    }

    private static string Probes(List<(long At, double Ms)> probes)
    {
        var accepted = probes.Where(p => p.Ms >= 0).Select(p => p.Ms).Order().ToList();
        return accepted.Count == 0 ? "" : RealisticHttp.Invariant($"{Percentile(accepted, 50):F0} / {Percentile(accepted, 99):F0} ms ({accepted.Count})");
    }

    /// <summary>Nearest rank.</summary>
    private static double Percentile(List<double> sorted, double percent) =>
        sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Ms(long microseconds) => RealisticHttp.Invariant($"{microseconds / 1000.0:F1} ms");
}
