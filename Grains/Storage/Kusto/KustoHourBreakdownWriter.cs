using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>Writes hourly breakdown rows into AdHourBreakdowns as <see cref="KustoMinuteCountWriter"/> writes minute rows, with the same options.</summary>
public sealed class KustoHourBreakdownWriter(
    KustoIngestClient client, IOptions<KustoIngestionOptions> options, KustoIngestionMetrics metrics, TimeProvider time, ILogger<KustoHourBreakdownWriter> logger)
    : KustoRowWriter<HourBreakdownRow, (DateTimeOffset Hour, BreakdownDimension Dimension, string Value)>(KustoHourBreakdownFormat.Instance, client, options, metrics, time, logger),
        IHourBreakdownWriter
{
    /// <summary>Puts the rows into the pending set and returns; ADX sees them after the next commit.</summary>
    /// <exception cref="KustoBacklogFullException">The pending set is full: keep the rows and offer them again later.</exception>
    public Task WriteBreakdownsAsync(IReadOnlyList<HourBreakdownRow> rows, CancellationToken cancellationToken = default) => WriteRowsAsync(rows, cancellationToken);
}
