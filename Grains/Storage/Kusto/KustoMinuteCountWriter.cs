using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>Writes minute rows into AdMinuteAggregates through a pending set and a group-committing loop (<see cref="KustoRowWriter{TRow, TPosition}"/>).</summary>
public sealed class KustoMinuteCountWriter(
    KustoIngestClient client, IOptions<KustoIngestionOptions> options, KustoIngestionMetrics metrics, TimeProvider time, ILogger<KustoMinuteCountWriter> logger)
    : KustoRowWriter<MinuteCountRow, DateTimeOffset>(KustoMinuteCountFormat.Instance, client, options, metrics, time, logger), IMinuteCountWriter
{
    /// <summary>Puts the rows into the pending set and returns; ADX sees them after the next commit.</summary>
    /// <exception cref="KustoBacklogFullException">The pending set is full: keep the rows and offer them again later.</exception>
    public Task WriteAsync(IReadOnlyList<MinuteCountRow> rows, CancellationToken cancellationToken = default) => WriteRowsAsync(rows, cancellationToken);
}
