using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// Where every accepted click and impression is kept: the source of truth and the dedup registry.
/// An event is new when no event of the same (kind, impression id) was ever accepted.
/// </summary>
public interface IRawClickStore
{
    /// <summary>
    /// Durably writes the events of <paramref name="events"/> that are new and returns exactly those;
    /// the rest (seen before, or repeated within the batch) are refused. When this throws, any subset
    /// may have been written: a retry then refuses those, so nothing is ever returned twice.
    /// </summary>
    Task<IReadOnlyList<AdEvent>> AppendNewAsync(AdKey key, IReadOnlyList<AdEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Recounts the billable events accepted for <paramref name="key"/>, and its invalid clicks by reason
    /// (<see cref="Models.InvalidClickCounts.Counts(AdEvent)"/>), per UTC minute of their timestamp, in
    /// [<paramref name="from"/>, <paramref name="to"/>); minutes without any are left out.
    /// </summary>
    Task<IReadOnlyList<MinuteTally>> CountAsync(AdKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// The ad shards of <paramref name="slice"/> (see <see cref="AdSlice"/>) with at least one accepted billable
    /// event or invalid click timed in the UTC hour starting at <paramref name="hour"/>, in ordinal order of their string keys.
    /// Read from an index kept as events are written, never by scanning the events. It may also name ads
    /// without such events (a write that failed part-way, a refused duplicate), never leave one out.
    /// </summary>
    Task<IReadOnlyList<AdKey>> ListActiveAdsAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken = default);

    /// <summary>
    /// Recounts the billable events accepted for <paramref name="key"/> per UTC hour of their timestamp and per value of
    /// each breakdown dimension (<see cref="BreakdownValues"/>), for the hours starting in
    /// [<paramref name="fromHour"/>, <paramref name="toHour"/>), both hour starts; in order of hour, dimension and value
    /// (ordinal). Every billable event is in one tally of each dimension; values without any are left out.
    /// </summary>
    Task<IReadOnlyList<BreakdownTally>> CountBreakdownsAsync(AdKey key, DateTimeOffset fromHour, DateTimeOffset toHour, CancellationToken cancellationToken = default);
}
