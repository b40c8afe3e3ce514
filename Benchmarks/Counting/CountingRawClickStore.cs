using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Benchmarks.Counting;

/// <summary>The silo's real raw click store, with its recounts (<see cref="CountAsync"/> calls) and accepted events counted.</summary>
public sealed class CountingRawClickStore(IRawClickStore inner) : IRawClickStore, IAsyncDisposable
{
    private long _counts;
    private long _accepted;

    public long Counts => Interlocked.Read(ref _counts);

    public long Accepted => Interlocked.Read(ref _accepted);

    private long _breakdownCounts;

    /// <summary>Breakdown recounts (<see cref="CountBreakdownsAsync"/> calls).</summary>
    public long BreakdownCounts => Interlocked.Read(ref _breakdownCounts);

    public async Task<IReadOnlyList<AdEvent>> AppendNewAsync(AdKey key, IReadOnlyList<AdEvent> events, CancellationToken cancellationToken = default)
    {
        var accepted = await inner.AppendNewAsync(key, events, cancellationToken);
        Interlocked.Add(ref _accepted, accepted.Count);
        return accepted;
    }

    public Task<IReadOnlyList<MinuteTally>> CountAsync(AdKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _counts);
        return inner.CountAsync(key, from, to, cancellationToken);
    }

    public Task<IReadOnlyList<AdKey>> ListActiveAdsAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken = default) =>
        inner.ListActiveAdsAsync(hour, slice, cancellationToken);

    public Task<IReadOnlyList<BreakdownTally>> CountBreakdownsAsync(AdKey key, DateTimeOffset fromHour, DateTimeOffset toHour, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _breakdownCounts);
        return inner.CountBreakdownsAsync(key, fromHour, toHour, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
