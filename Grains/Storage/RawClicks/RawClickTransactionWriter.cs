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
    private static readonly string[] KeyAndWriter = ["RowKey", RawClickEntity.WriteId];

    /// <summary>
    /// Inserts those of <paramref name="entities"/> (at most <see cref="MaxTransactionSize"/>, one partition)
    /// that do not exist yet and returns them. One existing entity rolls the whole transaction back, so on
    /// a 409 the existing ones are looked up, dropped, and the rest is submitted again until it commits;
    /// an entity can also appear in between, written by a concurrent caller.
    /// </summary>
    /// <remarks>
    /// A transient failure is retried even though the transaction may have committed before the answer
    /// was lost. Every entity carries this call's write id, so such a retry finds its own entities
    /// existing, recognises them as its own and still returns them: they are new, written once.
    /// </remarks>
    public async Task<IReadOnlyList<TableEntity>> InsertNewAsync(RawClickPartition partition, Guid adId, IReadOnlyList<TableEntity> entities, CancellationToken cancellationToken)
    {
        var writeId = Guid.NewGuid();
        foreach (var entity in entities)
        {
            entity[RawClickEntity.WriteId] = writeId;
        }

        var pending = entities.ToList();
        var ours = new List<TableEntity>();
        var dropsByIndex = 0;
        while (pending.Count > 0)
        {
            var table = await tables.GetOrCreateAsync(partition.Account, partition.Table, cancellationToken);
            try
            {
                var actions = pending.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)).ToList();
                await pipeline.ExecuteAsync(async token => await table.SubmitTransactionAsync(actions, token), cancellationToken);
                return [.. ours, .. pending];
            }
            catch (TableTransactionFailedException e) when (IsExisting(e) && e.FailedTransactionActionIndex is { } index && index < pending.Count && dropsByIndex < MaxDropsByIndex)
            {
                dropsByIndex++;
                var existing = await ExistingAsync(table, partition.PartitionKey, [pending[index]], cancellationToken);
                Settle(pending, existing, writeId, ours, adId, partition);
            }
            catch (RequestFailedException e) when (IsExisting(e))
            {
                var existing = await ExistingAsync(table, partition.PartitionKey, pending, cancellationToken);
                if (existing.Count == 0)
                {
                    throw;
                }

                Settle(pending, existing, writeId, ours, adId, partition);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // The table was dropped (retention, or another process) after it was cached: create it again.
                tables.Forget(partition.Account, partition.Table);
            }
        }

        return ours;
    }

    private static bool IsExisting(RequestFailedException e) => e.Status == 409 && e.ErrorCode == TableErrorCode.EntityAlreadyExists;

    /// <summary>Moves existing entities out of <paramref name="pending"/>: this call's own into <paramref name="ours"/>, the rest refused.</summary>
    private void Settle(List<TableEntity> pending, Dictionary<string, Guid?> existing, Guid writeId, List<TableEntity> ours, Guid adId, RawClickPartition partition)
    {
        var mine = pending.Where(e => existing.TryGetValue(e.RowKey, out var writer) && writer == writeId).ToList();
        ours.AddRange(mine);
        var refused = pending.RemoveAll(e => existing.ContainsKey(e.RowKey)) - mine.Count;
        if (refused > 0)
        {
            AzureTableRawClickStoreLog.Refused(logger, refused, adId, partition.Table, partition.PartitionKey);
        }
    }

    // Point reads: a filter on many row keys would scan the partition on the real service.
    private async Task<Dictionary<string, Guid?>> ExistingAsync(TableClient table, string partitionKey, List<TableEntity> candidates, CancellationToken cancellationToken)
    {
        var found = new ConcurrentDictionary<string, Guid?>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentReads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(candidates, options, async (entity, token) =>
        {
            var response = await pipeline.ExecuteAsync(
                async t => await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, entity.RowKey, KeyAndWriter, t),
                token);
            if (response.HasValue)
            {
                found[entity.RowKey] = response.Value!.GetGuid(RawClickEntity.WriteId);
            }
        });
        return new Dictionary<string, Guid?>(found);
    }
}
