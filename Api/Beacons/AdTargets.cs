using System.Diagnostics.Metrics;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Options;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>
/// The ads' redirect targets, cached so a beacon does not wait on a grain per request. An entry
/// older than <see cref="RefreshAfter"/> is still served while one background call refreshes it,
/// so a changed target URL takes effect within seconds. The cache holds at most
/// <see cref="BeaconOptions.TargetCacheSize"/> ads and evicts the least recently used.
/// </summary>
public sealed class AdTargets
{
    public const string MeterName = "Orleans.AdClicks.Beacons";

    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(5);

    // A lock-free LRU (hot, warm and cold queues): a hit is a dictionary read and a flag write, and an ad
    // seen twice outlives a scan of ads seen once. MemoryCache's size limit was weighed and left: it
    // compacts by sorting every entry, and refuses new entries while over the limit.
    private readonly FastConcurrentLru<Guid, Entry> _entries;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;

    public AdTargets(IGrainFactory grains, TimeProvider time, IOptions<BeaconOptions> options, IMeterFactory meters)
    {
        _grains = grains;
        _time = time;
        _entries = new FastConcurrentLru<Guid, Entry>(Environment.ProcessorCount, options.Value.TargetCacheSize, EqualityComparer<Guid>.Default);
        var meter = meters.Create(MeterName);
        _hits = meter.CreateCounter<long>("adclicks.beacons.target_cache.hits", "{lookup}", "Beacon target lookups answered from the cache");
        _misses = meter.CreateCounter<long>("adclicks.beacons.target_cache.misses", "{lookup}", "Beacon target lookups that called the ad's grain");
    }

    /// <summary>Ads cached now.</summary>
    public int Count => _entries.Count;

    /// <summary>The target URL of the ad, or null when there is no such ad.</summary>
    public ValueTask<string?> GetTargetUrlAsync(Guid adId)
    {
        if (_entries.TryGet(adId, out var entry))
        {
            _hits.Add(1);
            if (_time.GetUtcNow() - entry.FetchedAt > RefreshAfter && Interlocked.Exchange(ref entry.Refreshing, 1) == 0)
            {
                _ = FetchAsync(adId, entry);
            }

            return ValueTask.FromResult(entry.TargetUrl);
        }

        _misses.Add(1);
        return new ValueTask<string?>(FetchAsync(adId, stale: null));
    }

    /// <summary>Forgets an ad's entry, after the ad changed in this process.</summary>
    public void Invalidate(Guid adId) => _entries.TryRemove(adId);

    private async Task<string?> FetchAsync(Guid adId, Entry? stale)
    {
        try
        {
            var ad = await _grains.GetGrain<IAdDefinitionGrain>(adId).GetAsync();
            _entries.AddOrUpdate(adId, new Entry(ad?.TargetUrl, _time.GetUtcNow()));
            return ad?.TargetUrl;
        }
        catch when (stale is not null)
        {
            // Keep serving the stale target; the next request tries again.
            Interlocked.Exchange(ref stale.Refreshing, 0);
            return stale.TargetUrl;
        }
    }

    private sealed class Entry(string? targetUrl, DateTimeOffset fetchedAt)
    {
        public string? TargetUrl { get; } = targetUrl;

        public DateTimeOffset FetchedAt { get; } = fetchedAt;

        public int Refreshing;
    }
}
