using System.Globalization;

namespace Orleans.AdClicks.Benchmarks.Realistic;

/// <summary>
/// One wrk run of the realistic load, as run-realistic-load.sh noted it (a tab-separated line of phases.tsv) with what
/// Benchmarks/wrk/realistic.lua wrote when it finished: totals, latency, and what each thread sent.
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
    double CpuSeconds,
    long RssMaxKb,
    IReadOnlyDictionary<string, long> Summary,
    IReadOnlyList<(int Thread, long Sent, long Recent)> Threads)
{
    public bool IsApi => Server == "api";

    public double Seconds => Summary["duration_us"] / 1e6;

    public long Errors => Summary["errors_status"] + Summary["errors_timeout"] + Summary["errors_read"] + Summary["errors_write"];

    /// <summary>Answers that were neither 4xx nor 5xx per second: every 302 for the beacon.</summary>
    public double AcceptedPerSecond => (Summary["requests"] - Summary["errors_status"]) / Seconds;

    public static IReadOnlyList<WrkPhase> ReadAll(string phasesPath) =>
        [.. File.ReadAllLines(phasesPath).Where(line => line.Length > 0).Select(Parse)];

    private static WrkPhase Parse(string line)
    {
        var f = line.Split('\t');
        var summary = new Dictionary<string, long>();
        var threads = new List<(int, long, long)>();
        foreach (var entry in File.ReadAllLines(f[10]).Select(l => l.Split(' ')))
        {
            if (entry[0] == "thread")
            {
                threads.Add((int.Parse(entry[1], CultureInfo.InvariantCulture), long.Parse(entry[2], CultureInfo.InvariantCulture), long.Parse(entry[3], CultureInfo.InvariantCulture)));
            }
            else
            {
                summary[entry[0]] = long.Parse(entry[1], CultureInfo.InvariantCulture);
            }
        }

        return new WrkPhase(f[0], f[1], f[2], Int(f[3]), Int(f[4]), Int(f[5]), long.Parse(f[6], CultureInfo.InvariantCulture), long.Parse(f[7], CultureInfo.InvariantCulture),
            double.Parse(f[8], CultureInfo.InvariantCulture), long.Parse(f[9], CultureInfo.InvariantCulture), summary, threads);
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
