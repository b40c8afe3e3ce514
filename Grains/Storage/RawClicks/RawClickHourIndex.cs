using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Polly;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// The Azure raw click store's hour index: which ad shards have billable events or invalid clicks in each UTC hour, per ad slice,
/// so reconciliation lists an hour's ads without scanning raw events. One table per UTC day of event time,
/// partition "{yyyyMMddHH}-{slice:x2}", row key the ad shard, no properties. Written before the events, so
/// it names every stored one (and possibly some whose write failed); each process writes a row once.
/// </summary>
internal sealed class RawClickHourIndex(RawClickLayout layout, RawClickTables tables, ResiliencePipeline pipeline, int cacheCapacity, ILogger logger)
{
    private static readonly string[] RowKeyOnly = ["RowKey"];

    private readonly RawClickIndexUpserter _upserter = new(tables, pipeline);
    private readonly RecentSet<(DateTimeOffset Hour, AdKey Key)> _indexed = new(cacheCapacity);

    /// <summary>Stores the rows of <paramref name="key"/> for the hours of the counted <paramref name="events"/> (billable, or invalid clicks) not yet known stored.</summary>
    public async Task AddAsync(AdKey key, IEnumerable<AdEvent> events, CancellationToken cancellationToken)
    {
        var hours = events
            .Where(e => e.Billable || InvalidClickCounts.Counts(e))
            .Select(e => MinuteBucket.Truncate(e.Timestamp, Granularity.Hour))
            .Distinct()
            .Where(hour => !_indexed.Contains((hour, key)))
            .ToList();
        if (hours.Count == 0)
        {
            return;
        }

        var slice = AdSlice.Of(key.AdId);
        var rowKey = RawClickLayout.HourRowKey(key);
        await Task.WhenAll(hours.Select(hour => _upserter.UpsertAsync(layout.HourPartitionOf(hour, slice), rowKey, cancellationToken)));
        _indexed.AddRange(hours.Select(hour => (hour, key)));
    }

    /// <summary>The ad shards of <paramref name="slice"/> indexed for the UTC hour starting at <paramref name="hour"/>, in ordinal order of their keys.</summary>
    public async Task<IReadOnlyList<AdKey>> ListAsync(DateTimeOffset hour, int slice, CancellationToken cancellationToken)
    {
        var partition = layout.HourPartitionOf(hour, slice);
        var table = tables.Get(partition.Account, partition.Table);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition.PartitionKey}");
        var rowKeys = await pipeline.ExecuteAsync(
            async token =>
            {
                var keys = new List<string>();
                try
                {
                    await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: RowKeyOnly, cancellationToken: token))
                    {
                        keys.Add(entity.RowKey);
                    }
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    // No billable event was ever written for that day, or retention dropped it.
                    keys.Clear();
                }

                return keys;
            },
            cancellationToken);

        var ads = new List<AdKey>(rowKeys.Count);
        foreach (var rowKey in rowKeys)
        {
            if (RawClickLayout.TryParseHourRowKey(rowKey, out var key))
            {
                ads.Add(key);
            }
            else
            {
                AzureTableRawClickStoreLog.BadIndexRow(logger, partition.Table, partition.PartitionKey, rowKey);
            }
        }

        return [.. ads.OrderBy(ad => ad.ToString(), StringComparer.Ordinal)];
    }
}
