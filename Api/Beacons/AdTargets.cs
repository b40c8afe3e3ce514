using System.Collections.Concurrent;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>
/// The ads' redirect targets, cached so a beacon does not wait on a grain per request. An entry
/// older than <see cref="RefreshAfter"/> is still served while one background call refreshes it,
/// so a changed target URL takes effect within seconds.
/// </summary>
public sealed class AdTargets(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(5);

    // Bounds memory at about 100 MB whatever the number of ads; an evicted ad costs one grain call.
    private const int MaxEntries = 500_000;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    /// <summary>The target URL of the ad, or null when there is no such ad.</summary>
    public ValueTask<string?> GetTargetUrlAsync(Guid adId)
    {
        if (_entries.TryGetValue(adId, out var entry))
        {
            if (time.GetUtcNow() - entry.FetchedAt > RefreshAfter && Interlocked.Exchange(ref entry.Refreshing, 1) == 0)
            {
                _ = FetchAsync(adId);
            }

            return ValueTask.FromResult(entry.TargetUrl);
        }

        return new ValueTask<string?>(FetchAsync(adId));
    }

    /// <summary>Forgets an ad's entry, after the ad changed in this process.</summary>
    public void Invalidate(Guid adId) => _entries.TryRemove(adId, out _);

    private async Task<string?> FetchAsync(Guid adId)
    {
        try
        {
            var ad = await grains.GetGrain<IAdDefinitionGrain>(adId).GetAsync();
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            _entries[adId] = new Entry(ad?.TargetUrl, time.GetUtcNow());
            return ad?.TargetUrl;
        }
        catch when (_entries.TryGetValue(adId, out var stale))
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
