using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Orleans.AdClicks.Benchmarks.Aggregates;
using Orleans.AdClicks.Benchmarks.Beacons;
using Orleans.AdClicks.Benchmarks.Counting;
using Orleans.AdClicks.Benchmarks.Kafka;
using Orleans.AdClicks.Benchmarks.Load;
using Orleans.AdClicks.Benchmarks.Queries;
using Orleans.AdClicks.Benchmarks.RawStore;
using Orleans.AdClicks.Benchmarks.Realistic;
using Orleans.AdClicks.Benchmarks.Reconciliation;

// Commands: micro (BenchmarkDotNet: tokens, the target cache, the aggregate store's latest-version lookup, building and parsing Kusto requests, serialising and gzipping a 4 MB ADX ingestion body), baseline-server (a bare 302 endpoint for wrk), tokens (mint tokens through the Api),
// raw-store (the Azure Table raw click store against a plain Azure.Data.Tables loop),
// reconciliation (an hour's reconciliation run against a plain loop over the same stores),
// counting (raw-store reads of the counting grains per 1,000 accepted events),
// api (the real Api with the embedded or the Kafka click log, for wrk), kafka-produce (allocations per record: Produce or ProduceAsync),
// realistic-setup, realistic-monitor, realistic-wait, realistic-report (the parts of run-realistic-load.sh: ads and the request file,
// the click-to-queryable probe and total poller, the wait for the count to settle, the check and summary),
// beacon-allocations (bytes allocated per GET /c/{token}: bare 302 endpoint, the Api's request path, the Api whole),
// queries (p50/p99 of the analytics reads on DuckDB over 24 h of minute rows for 100,000 ads),
// writer (ms per commit of the DuckDB aggregate writer, a minute of rows at a time).
return args.FirstOrDefault() switch
{
    "micro" => RunMicro(args[1..]),
    "baseline-server" => await BaselineServer.RunAsync(args[1..]),
    "tokens" => await TokenMinter.RunAsync(args[1..]),
    "raw-store" => await RawStoreBenchmark.RunAsync(args[1..]),
    "reconciliation" => await ReconciliationBenchmark.RunAsync(args[1..]),
    "counting" => await CountingBenchmark.RunAsync(args[1..]),
    "api" => await ApiHost.RunAsync(args[1..]),
    "kafka-produce" => await ProduceBenchmark.RunAsync(args[1..]),
    "realistic-setup" => await RealisticSetup.RunAsync(args[1..]),
    "realistic-monitor" => await RealisticMonitor.RunAsync(args[1..]),
    "realistic-wait" => await QuietWait.RunAsync(args[1..]),
    "realistic-report" => await RealisticReport.RunAsync(args[1..]),
    "queries" => await QueryBenchmark.RunAsync(args[1..]),
    "writer" => await WriterCommitBenchmark.RunAsync(args[1..]),
    "beacon-allocations" => await BeaconAllocationBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int RunMicro(string[] args)
{
    // In process: BenchmarkDotNet's generated project cannot find ours, whose assembly name differs.
    var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project Benchmarks -- <command>
          micro [BenchmarkDotNet options, e.g. --filter *Token*]
          baseline-server [--urls http://127.0.0.1:5100]
          tokens --api http://127.0.0.1:5000 --admin-key KEY [--ads 100] [--count 100000] [--out tokens.txt]
          raw-store --connection-string CS [--count 20000] [--ads 50] [--duplicates 0.1] [--batch 200] [--parallel 4] [--rounds 2]
          reconciliation [--events 100000] [--ads 1000] [--drift 0.01] [--rounds 3] [--connection-string CS]
          counting [--ads 500] [--minutes 10] [--events-per-minute 4] [--late 0.01]
          api --data DIR [--click-log kafka|embedded] [--content-root Api] [--port 5200] [--partitions 32] [--silo-port 11211] [--gateway-port 30100]
          kafka-produce [--count 200000] [--in-flight 2000]
          realistic-setup --admin-key KEY --signing-key ID:BASE64 --out DIR [--api URL] [--ads 5000] [--campaigns 5] [--requests 2000000] [--zipf 1] [--duplicates 0.1] [--probe-ads 8]
          realistic-monitor --signing-key K --probe-key K --probe-ads ID,ID --probe-campaign ID --advertiser ID --advertiser-key K --log FILE --stop FILE [--interval-ms 250]
          realistic-wait --log FILE --since UNIX_MS [--stable-seconds 3] [--max-seconds 60]
          realistic-report --dir DIR --advertiser ID --advertiser-key K [--threads 2] [--title TEXT]
          (these four are run by Benchmarks/run-realistic-load.sh)
          beacon-allocations [--requests 20000] [--warmup 5000] [--ads 1000] [--concurrency 8] [--types true]
          queries [--ads 100000] [--advertisers 10] [--campaigns 1000] [--events-per-second 500] [--runs 200] [--warmup 20] [--explain true]
          writer [--ads 20000] [--rows 2000] [--minutes 180]
        See docs/benchmarks.md.
        """);
    return 2;
}
