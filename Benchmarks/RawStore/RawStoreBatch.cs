using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Benchmarks.RawStore;

/// <summary>One append of one ad: everything delivered (<paramref name="All"/>) and what of it was never seen before (<paramref name="New"/>).</summary>
public sealed record RawStoreBatch(AdKey Key, IReadOnlyList<AdEvent> All, IReadOnlyList<AdEvent> New);
