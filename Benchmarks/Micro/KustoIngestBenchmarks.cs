using BenchmarkDotNet.Attributes;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Kusto;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Benchmarks.Micro;

/// <summary>
/// What one full streaming request costs the silo before it leaves: the minute rows of a commit serialised as
/// MultiJSON up to 4 MB, and that body gzipped. The rows look like a commit at the seed's peak: distinct ads
/// (2 million ads, each flushing its open minutes), ~10 ads per campaign, ~200 campaigns per advertiser.
/// </summary>
[MemoryDiagnoser]
public class KustoIngestBenchmarks
{
    private MinuteCountRow[] _rows = [];
    private ReadOnlyMemory<byte> _json;
    private DateTimeOffset _now;

    // More than a body holds; the benchmark keeps the rows that fill the first one.
    private const int Candidates = 20_000;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _now = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var advertisers = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToArray();
        var campaigns = Enumerable.Range(0, Candidates / 10).Select(i => (Id: Guid.NewGuid(), Advertiser: advertisers[i % advertisers.Length])).ToArray();
        var candidates = Enumerable.Range(0, Candidates).Select(i =>
        {
            var campaign = campaigns[random.Next(campaigns.Length)];
            var impressions = random.Next(0, 2_000);
            return new MinuteCountRow(Guid.NewGuid(), 0, campaign.Id, campaign.Advertiser, _now.AddMinutes(-random.Next(0, 3)),
                impressions / 50, impressions, _now.UtcTicks + i);
        }).ToArray();
        var first = KustoMinuteCountFormat.Instance.Batches(candidates, _now, KustoIngestClient.MaxRequestBytes).First();
        _rows = [.. first.Rows];
        _json = first.Json;
        var gzipped = KustoIngestClient.Gzip(_json.Span).Length;
        Console.WriteLine($"// {_rows.Length} rows: {_json.Length} bytes MultiJSON ({(double)_json.Length / _rows.Length:F1} B/row), {gzipped} bytes gzipped ({(double)gzipped / _rows.Length:F1} B/row, {(double)_json.Length / gzipped:F2}x)");
    }

    [Benchmark(Baseline = true)]
    public int Serialise() => KustoMinuteCountFormat.Instance.Batches(_rows, _now, KustoIngestClient.MaxRequestBytes).Sum(b => b.Json.Length);

    [Benchmark]
    public int Gzip() => KustoIngestClient.Gzip(_json.Span).Length;

    [Benchmark]
    public int SerialiseAndGzip() => KustoMinuteCountFormat.Instance.Batches(_rows, _now, KustoIngestClient.MaxRequestBytes).Sum(b => KustoIngestClient.Gzip(b.Json.Span).Length);
}
