using System.Collections.Concurrent;
using Orleans.Runtime;

namespace Orleans.AdClicks.Hosting;

/// <summary>
/// The silos this OS process hosts (an <c>InProcessTestCluster</c>'s, the Api's co-hosted one, the headless silo's):
/// they share one DuckDB aggregate database, so <see cref="EmbeddedAggregatesProcessCheck"/> does not count them.
/// </summary>
internal static class ProcessSilos
{
    private static readonly ConcurrentDictionary<SiloAddress, byte> Addresses = new();

    public static void Add(SiloAddress silo) => Addresses.TryAdd(silo, 0);

    public static void Remove(SiloAddress silo) => Addresses.TryRemove(silo, out _);

    /// <summary>
    /// True for a silo of this process, and for an older generation on the same endpoint: that is an earlier start of
    /// one of this process's silos (killed hard), which Orleans declares dead when the new one joins.
    /// </summary>
    public static bool Contains(SiloAddress silo) => Addresses.Keys.Any(s => s.Endpoint.Equals(silo.Endpoint));
}
