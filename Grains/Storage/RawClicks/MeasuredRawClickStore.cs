using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>Times each append and count of the store it wraps on <see cref="RawClickMetrics"/>; changes nothing else.</summary>
/// <param name="storeName">The "store" tag: "embedded" or "azure_table".</param>
internal sealed class MeasuredRawClickStore(IRawClickStore inner, string storeName, RawClickMetrics metrics, TimeProvider timeProvider) : IRawClickStore
{
    public async Task<IReadOnlyList<AdEvent>> AppendNewAsync(AdKey key, IReadOnlyList<AdEvent> events, CancellationToken cancellationToken = default)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            var accepted = await inner.AppendNewAsync(key, events, cancellationToken);
            metrics.Operation("append", storeName, timeProvider.GetElapsedTime(started), null);
            return accepted;
        }
        catch (Exception ex)
        {
            metrics.Operation("append", storeName, timeProvider.GetElapsedTime(started), ex);
            throw;
        }
    }

    public async Task<IReadOnlyList<MinuteTally>> CountAsync(AdKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            var tallies = await inner.CountAsync(key, from, to, cancellationToken);
            metrics.Operation("count", storeName, timeProvider.GetElapsedTime(started), null);
            return tallies;
        }
        catch (Exception ex)
        {
            metrics.Operation("count", storeName, timeProvider.GetElapsedTime(started), ex);
            throw;
        }
    }

    public Task<IReadOnlyList<AdKey>> ListActiveAdsAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken = default) =>
        inner.ListActiveAdsAsync(hour, slice, cancellationToken);

    public async Task<IReadOnlyList<BreakdownTally>> CountBreakdownsAsync(AdKey key, DateTimeOffset fromHour, DateTimeOffset toHour, CancellationToken cancellationToken = default)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            var tallies = await inner.CountBreakdownsAsync(key, fromHour, toHour, cancellationToken);
            metrics.Operation("count_breakdowns", storeName, timeProvider.GetElapsedTime(started), null);
            return tallies;
        }
        catch (Exception ex)
        {
            metrics.Operation("count_breakdowns", storeName, timeProvider.GetElapsedTime(started), ex);
            throw;
        }
    }
}
