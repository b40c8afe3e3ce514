using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Microsoft.Extensions.Logging;
using Polly;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// Inserts one partition's entities in entity-group transactions and reports which ones it inserted.
/// Insert (never upsert) is the dedup: an existing (PartitionKey, RowKey) fails with 409 EntityAlreadyExists.
/// </summary>
internal sealed class RawClickTransactionWriter(RawClickTables tables, ResiliencePipeline pipeline, ILogger logger)
{
    /// <summary>Table Storage's limit on the entities of one entity-group transaction.</summary>
    public const int MaxTransactionSize = 100;

    private const int MaxConcurrentReads = 16;

    // A chunk with one or two existing rows (retries) is cheaper to resubmit without the row the
    // service names than to read every row; beyond that (a replayed batch) reading them all is.
    private const int MaxDropsByIndex = 2;
    private static readonly string[] KeysOnly = ["RowKey"];

    /// <summary>
    /// Inserts those of <paramref name="entities"/> (at most <see cref="MaxTransactionSize"/>, one partition)
    /// that do not exist yet and returns them. One existing entity rolls the whole transaction back, so on
    /// a 409 the existing ones are looked up, dropped, and the rest is submitted again until it commits;
    /// an entity can also appear in between, written by a concurrent caller.
    /// </summary>
    /// <remarks>
    /// A transient failure is retried even though the transaction may have committed before the answer
    /// was lost: its entities then exist, are refused, and are not returned. That is an under-count,
    /// which a recount from the store repairs, never an over-count.
    /// </remarks>
    public async Task<IReadOnlyList<TableEntity>> InsertNewAsync(RawClickPartition partition, Guid adId, IReadOnlyList<TableEntity> entities, CancellationToken cancellationToken)
    {
        var pending = entities.ToList();
        var dropsByIndex = 0;
        while (pending.Count > 0)
        {
            var table = await tables.GetOrCreateAsync(partition.Account, partition.Table, cancellationToken);
            try
            {
                var actions = pending.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)).ToList();
                await pipeline.ExecuteAsync(async token => await table.SubmitTransactionAsync(actions, token), cancellationToken);
                return pending;
            }
            catch (TableTransactionFailedException e) when (IsExisting(e) && e.FailedTransactionActionIndex is { } index && index < pending.Count && dropsByIndex < MaxDropsByIndex)
            {
                dropsByIndex++;
                pending.RemoveAt(index);
                AzureTableRawClickStoreLog.Refused(logger, 1, adId, partition.Table, partition.PartitionKey);
            }
            catch (RequestFailedException e) when (IsExisting(e))
            {
                var existing = await ExistingAsync(table, partition.PartitionKey, pending, cancellationToken);
                if (existing.Count == 0)
                {
                    throw;
                }

                pending.RemoveAll(entity => existing.Contains(entity.RowKey));
                AzureTableRawClickStoreLog.Refused(logger, existing.Count, adId, partition.Table, partition.PartitionKey);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // The table was dropped (retention, or another process) after it was cached: create it again.
                tables.Forget(partition.Account, partition.Table);
            }
        }

        return pending;
    }

    private static bool IsExisting(RequestFailedException e) => e.Status == 409 && e.ErrorCode == TableErrorCode.EntityAlreadyExists;

    // Point reads: a filter on many row keys would scan the partition on the real service.
    private async Task<HashSet<string>> ExistingAsync(TableClient table, string partitionKey, List<TableEntity> candidates, CancellationToken cancellationToken)
    {
        var found = new ConcurrentBag<string>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentReads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(candidates, options, async (entity, token) =>
        {
            var response = await pipeline.ExecuteAsync(
                async t => await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, entity.RowKey, KeysOnly, t),
                token);
            if (response.HasValue)
            {
                found.Add(entity.RowKey);
            }
        });
        return [.. found];
    }
}
