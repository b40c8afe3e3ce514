namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// The write side of the hourly breakdowns, in the silo: absolute, versioned counts per (ad, shard, hour, dimension,
/// value), which AdGrain flushes beside its minute rows. A row replaces the stored one only when its version is at
/// least as high, and it counts towards the ad shard's latest version (<see cref="IAggregateQueries.ReadLatestVersionAsync"/>).
/// </summary>
public interface IHourBreakdownWriter
{
    /// <summary>Writes the rows; a row with a lower version than the stored one is ignored.</summary>
    /// <exception cref="AggregateBacklogFullException">The backend keeps too many rows waiting: keep these and offer them again.</exception>
    Task WriteBreakdownsAsync(IReadOnlyList<HourBreakdownRow> rows, CancellationToken cancellationToken = default);
}
