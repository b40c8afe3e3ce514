using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Orleans.AdClicks.Streaming;

/// <summary>
/// The hot ads of each Event Hubs partition a silo reads, spread as their records enter the cache: each shard stream
/// is still fed by one partition only (<see cref="ClickPartitionStreams"/>). The Api keys records by ad shard, so a
/// partition sees all of a shard's events; an ad another producer spreads over partitions is measured per partition.
/// </summary>
public sealed class PartitionHotAds(HotAdSettings settings, TimeProvider time, ILoggerFactory loggers) : IDisposable
{
    private readonly ConcurrentDictionary<string, HotAds> _partitions = new(StringComparer.Ordinal);

    public HotAdSettings Settings { get; } = settings;

    /// <summary>The hot ads of <paramref name="partition"/>, made on its first event.</summary>
    public HotAds For(string partition) => _partitions.GetOrAdd(partition, _ => new HotAds(Settings, time, loggers.CreateLogger<HotAds>()));

    public void Dispose()
    {
        foreach (var hotAds in _partitions.Values)
        {
            hotAds.Dispose();
        }
    }
}
