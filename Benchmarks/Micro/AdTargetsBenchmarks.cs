extern alias AdClicksApi;

using System.Collections.Concurrent;
using System.Reflection;
using AdClicksApi::Orleans.AdClicks.Api.Beacons;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orleans.AdClicks.Benchmarks.Micro;

/// <summary>
/// The beacon's target lookup when the ad is cached, as every beacon of a known ad does it: the bounded LRU
/// and its hit counter, against the unbounded dictionary it replaced, over more ads than fit in the CPU's caches. Grain calls (misses) are not measured:
/// the cache is filled through a grain factory whose grains answer at once. Both sides of AdTargets' hit include its
/// refresh of an entry older than 5 s (one grain call per ad and 5 s, as before the cache was bounded).
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(10)]
public class AdTargetsBenchmarks
{
    private readonly ConcurrentDictionary<Guid, string?> _dictionary = new();
    private Guid[] _ads = [];
    private AdTargets _targets = null!;
    private ServiceProvider _services = null!;
    private int _next;

    [Params(100_000)]
    public int Ads { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _targets = new AdTargets(
            DispatchProxy.Create<IGrainFactory, InstantGrains>(),
            TimeProvider.System,
            Options.Create(new BeaconOptions { TargetCacheSize = Ads }),
            _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        _ads = [.. Enumerable.Range(0, Ads).Select(_ => Guid.NewGuid())];
        foreach (var ad in _ads)
        {
            await _targets.GetTargetUrlAsync(ad);
            _dictionary[ad] = null;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public string? Dictionary() => _dictionary.TryGetValue(NextAd(), out var target) ? target : null;

    [Benchmark]
    public string? AdTargetsHit() => _targets.GetTargetUrlAsync(NextAd()).Result;

    private Guid NextAd()
    {
        var next = _next + 1 == _ads.Length ? 0 : _next + 1;
        _next = next;
        return _ads[next];
    }

    /// <summary>A grain factory whose grains complete every call at once with a default result.</summary>
    public class InstantGrains : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var returns = targetMethod!.ReturnType;
            if (returns.IsInterface)
            {
                return typeof(DispatchProxy).GetMethod(nameof(DispatchProxy.Create), 2, Type.EmptyTypes)!
                    .MakeGenericMethod(returns, typeof(InstantGrains)).Invoke(null, null);
            }

            return returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>)
                ? typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(returns.GenericTypeArguments[0]).Invoke(null, [null])
                : Task.CompletedTask;
        }
    }
}
