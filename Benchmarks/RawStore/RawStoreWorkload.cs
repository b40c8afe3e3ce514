using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Benchmarks.RawStore;

/// <summary>
/// The events of a raw-store run: clicks round-robin over the ads; a share of them repeat an earlier
/// click of the same ad (a browser retry or a replay), in the same batch or a later one.
/// </summary>
public sealed record RawStoreWorkload(int Count, int Ads, double DuplicateShare, int BatchSize, int ConcurrentBatches)
{
    public IReadOnlyList<RawStoreBatch> Generate(Random random)
    {
        var now = DateTimeOffset.UtcNow;
        var campaignId = Guid.NewGuid();
        var ads = Enumerable.Range(0, Ads).Select(_ => new AdKey(Guid.NewGuid(), 0)).ToArray();
        var perAd = ads.ToDictionary(ad => ad, _ => new List<AdEvent>());
        for (var i = 0; i < Count; i++)
        {
            var events = perAd[ads[i % Ads]];
            events.Add(events.Count > 0 && random.NextDouble() < DuplicateShare
                ? events[random.Next(events.Count)]
                : new AdEvent(AdEventKind.Click, Guid.NewGuid(), ads[i % Ads].AdId, campaignId, now, now.AddMinutes(-1), now.AddDays(1), true, "Mozilla/5.0 (X11; Linux x86_64)", "203.0.113.0"));
        }

        var batches = new List<RawStoreBatch>();
        foreach (var (ad, events) in perAd)
        {
            var seen = new HashSet<Guid>();
            foreach (var chunk in events.Chunk(BatchSize))
            {
                batches.Add(new RawStoreBatch(ad, chunk, [.. chunk.Where(e => seen.Add(e.ImpressionId))]));
            }
        }

        return batches;
    }
}
