using System.Globalization;

namespace Orleans.AdClicks.Benchmarks.Realistic;

/// <summary>
/// One wrk run of the realistic load, as run-realistic-load.sh noted it (a tab-separated line of phases.tsv), with what
/// Benchmarks/wrk/realistic.lua wrote when it finished (totals, latency, what each thread sent) and the server's
/// samples of /proc taken meanwhile ("ms cpuTicks rssKb" lines).
/// </summary>
public sealed record WrkPhase(
    string Label,
    string Server,
    string Kind,
    int Round,
    int Connections,
    int Start,
    long StartMs,
    long EndMs,
    IReadOnlyList<(long Ms, long Ticks, long RssKb)> Samples,
    int TicksPerSecond,
    IReadOnlyDictionary<string, long> Summary,
    IReadOnlyList<(int Thread, long Sent, long Recent)> Threads)
{
    public bool IsApi => Server == "api";

    public double Seconds => Summary["duration_us"] / 1e6;

    /// <summary>When the requests began: wrk reads the request file before it starts its clock.</summary>
    public long LoadStartMs => EndMs - (Summary["duration_us"] / 1000);

    public long Errors => Summary["errors_status"] + Summary["errors_timeout"] + Summary["errors_read"] + Summary["errors_write"];

    /// <summary>Answers that were neither 4xx nor 5xx per second: every 302 for the beacon.</summary>
    public double AcceptedPerSecond => (Summary["requests"] - Summary["errors_status"]) / Seconds;

    /// <summary>The server's user and system CPU time while the requests ran, interpolated between samples.</summary>
    public double CpuSeconds => (TicksAt(EndMs) - TicksAt(LoadStartMs)) / TicksPerSecond;

    /// <summary>The server's highest resident set while the requests ran.</summary>
    public long RssMaxKb => Samples.Where(s => s.Ms >= LoadStartMs && s.Ms <= EndMs).Select(s => s.RssKb).DefaultIfEmpty(0).Max();

    public static IReadOnlyList<WrkPhase> ReadAll(string phasesPath) =>
        [.. File.ReadAllLines(phasesPath).Where(line => line.Length > 0).Select(Parse)];

    private double TicksAt(long ms)
    {
        var after = Samples.FirstOrDefault(s => s.Ms >= ms);
        var before = Samples.LastOrDefault(s => s.Ms <= ms);
        if (after == default || before == default || after.Ms == before.Ms)
        {
            return (after == default ? before : after).Ticks;
        }

        return before.Ticks + ((after.Ticks - before.Ticks) * (double)(ms - before.Ms) / (after.Ms - before.Ms));
    }

    private static WrkPhase Parse(string line)
    {
        var f = line.Split('\t');
        var summary = new Dictionary<string, long>();
        var threads = new List<(int, long, long)>();
        foreach (var entry in File.ReadAllLines(f[10]).Select(l => l.Split(' ')))
        {
            if (entry[0] == "thread")
            {
                threads.Add((Int(entry[1]), Long(entry[2]), Long(entry[3])));
            }
            else
            {
                summary[entry[0]] = Long(entry[1]);
            }
        }

        var samples = File.ReadAllLines(f[8]).Select(l => l.Split(' ')).Where(s => s.Length == 3 && s.All(v => v.Length > 0))
            .Select(s => (Long(s[0]), Long(s[1]), Long(s[2]))).ToList();
        return new WrkPhase(f[0], f[1], f[2], Int(f[3]), Int(f[4]), Int(f[5]), Long(f[6]), Long(f[7]), samples, Int(f[9]), summary, threads);
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
