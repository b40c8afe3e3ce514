using System.Net;
using BenchmarkDotNet.Attributes;
using Orleans.AdClicks.Enrichment;

namespace Orleans.AdClicks.Benchmarks.Micro;

/// <summary>
/// What enriching one beacon event costs: a user agent already in the cache (the common case), and a miss,
/// which runs uap-core's browser, OS and device rules in order (regexes already built by earlier misses).
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(10)]
public class EnrichmentBenchmarks
{
    private const string ChromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private const string SafariOnIPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
    private static readonly IPAddress Client = IPAddress.Parse("81.2.69.160");
    private EventEnricher _enricher = null!;

    [GlobalSetup]
    public void Setup()
    {
        _enricher = new EventEnricher(UserAgentRules.Load(UserAgentRules.DefaultPath), null, 50_000);
        _enricher.Classify(ChromeOnWindows);
        _enricher.Classify(SafariOnIPhone);
    }

    [GlobalCleanup]
    public void Cleanup() => _enricher.Dispose();

    [Benchmark(Baseline = true)]
    public EnrichedFields CachedHit() => _enricher.Enrich(ChromeOnWindows, Client);

    [Benchmark]
    public EnrichedFields MissDesktopChrome() => _enricher.Classify(ChromeOnWindows);

    [Benchmark]
    public EnrichedFields MissIPhoneSafari() => _enricher.Classify(SafariOnIPhone);
}
