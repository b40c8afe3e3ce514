namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>
/// The write side of the aggregate store, in the silo: absolute, versioned counts per (ad, shard, minute),
/// which AdGrain flushes. Writing a row replaces the stored one only when its version is at least as high,
/// so replaying a write changes nothing and a late, older write never undoes a newer one.
/// </summary>
public interface IMinuteCountWriter
{
    /// <summary>Writes the rows; a row with a lower version than the stored one is ignored.</summary>
    Task WriteAsync(IReadOnlyList<MinuteCountRow> rows, CancellationToken cancellationToken = default);
}
