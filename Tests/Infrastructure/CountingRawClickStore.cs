using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>
/// The silo's real raw click store, with its reads counted and, when a test arms it, one recount failing right
/// after a successful append (storage that goes away between two calls).
/// </summary>
public sealed class CountingRawClickStore(IRawClickStore inner) : IRawClickStore, IAsyncDisposable
{
    private int _counts;
    private int _failedCounts;
    private int _failure;

    /// <summary>Calls of <see cref="CountAsync"/>, failed ones included.</summary>
    public int Counts => Volatile.Read(ref _counts);

    /// <summary>Calls of <see cref="CountAsync"/> that failed because the test armed it.</summary>
    public int FailedCounts => Volatile.Read(ref _failedCounts);

    /// <summary>Makes the first count after the next successful append fail, once.</summary>
    public void FailNextCountAfterAppend() => Volatile.Write(ref _failure, 1);

    private int _breakdownCounts;
    private int _breakdownFailure;

    /// <summary>Calls of <see cref="CountBreakdownsAsync"/>, failed ones included.</summary>
    public int BreakdownCounts => Volatile.Read(ref _breakdownCounts);

    /// <summary>Makes the first breakdown count after the next successful append fail, once.</summary>
    public void FailNextBreakdownCountAfterAppend() => Volatile.Write(ref _breakdownFailure, 1);

    public async Task<IReadOnlyList<AdEvent>> AppendNewAsync(AdKey key, IReadOnlyList<AdEvent> events, CancellationToken cancellationToken = default)
    {
        var accepted = await inner.AppendNewAsync(key, events, cancellationToken);
        Interlocked.CompareExchange(ref _failure, 2, 1);
        Interlocked.CompareExchange(ref _breakdownFailure, 2, 1);
        return accepted;
    }

    public Task<IReadOnlyList<MinuteTally>> CountAsync(AdKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _counts);
        if (Interlocked.CompareExchange(ref _failure, 0, 2) == 2)
        {
            Interlocked.Increment(ref _failedCounts);
            throw new IOException("The raw store is unreachable (a test's failure).");
        }

        return inner.CountAsync(key, from, to, cancellationToken);
    }

    public Task<IReadOnlyList<AdKey>> ListActiveAdsAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken = default) =>
        inner.ListActiveAdsAsync(hour, slice, cancellationToken);

    public Task<IReadOnlyList<BreakdownTally>> CountBreakdownsAsync(AdKey key, DateTimeOffset fromHour, DateTimeOffset toHour, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _breakdownCounts);
        if (Interlocked.CompareExchange(ref _breakdownFailure, 0, 2) == 2)
        {
            throw new IOException("The raw store is unreachable (a test's failure).");
        }

        return inner.CountBreakdownsAsync(key, fromHour, toHour, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>Wraps the raw click store registered in <paramref name="services"/>; resolve it as <see cref="CountingRawClickStore"/>.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IRawClickStore));
        services.Remove(registered);
        services.AddSingleton(sp => new CountingRawClickStore(
            registered.ImplementationInstance as IRawClickStore
            ?? (IRawClickStore?)registered.ImplementationFactory?.Invoke(sp)
            ?? (IRawClickStore)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)));
        services.AddSingleton<IRawClickStore>(sp => sp.GetRequiredService<CountingRawClickStore>());
    }
}
