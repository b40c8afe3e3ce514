using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Polly;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// Upserts empty index rows, coalescing concurrent upserts of one partition into entity-group transactions
/// (group commit): while a partition's write is in flight, the rows asked for meanwhile wait and go in
/// together as the next one. At the start of an hour many ads of one slice write their first row at once.
/// </summary>
internal sealed class RawClickIndexUpserter(RawClickTables tables, ResiliencePipeline pipeline)
{
    private readonly ConcurrentDictionary<RawClickPartition, PartitionQueue> _queues = new();

    /// <summary>Completes once the row is stored; cancelling stops the wait, not a write shared with other callers.</summary>
    public Task UpsertAsync(RawClickPartition partition, string rowKey, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            var queue = _queues.GetOrAdd(partition, _ => new PartitionQueue());
            bool lead;
            lock (queue.Gate)
            {
                if (queue.Closed)
                {
                    // Its writer finished and removed it just now: take the partition's next queue.
                    continue;
                }

                queue.Pending.Add((rowKey, done));
                lead = !queue.Writing;
                queue.Writing = true;
            }

            if (lead)
            {
                // On the thread pool: the writer serves other callers, so it must not run on a grain's scheduler.
                _ = Task.Run(() => WriteAsync(partition, queue), CancellationToken.None);
            }

            return done.Task.WaitAsync(cancellationToken);
        }
    }

    // Runs until the queue is empty; never throws: every failure goes to the callers of the rows it hit.
    private async Task WriteAsync(RawClickPartition partition, PartitionQueue queue)
    {
        while (true)
        {
            List<(string RowKey, TaskCompletionSource Done)> batch;
            lock (queue.Gate)
            {
                if (queue.Pending.Count == 0)
                {
                    queue.Closed = true;
                    _queues.TryRemove(KeyValuePair.Create(partition, queue));
                    return;
                }

                batch = Take(queue.Pending);
            }

            try
            {
                await SubmitAsync(partition, [.. batch.Select(item => item.RowKey).Distinct(StringComparer.Ordinal)]);
                batch.ForEach(item => item.Done.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(item => item.Done.TrySetException(e));
            }
        }
    }

    /// <summary>Removes and returns the first pending rows with at most a transaction's worth of distinct keys.</summary>
    private static List<(string RowKey, TaskCompletionSource Done)> Take(List<(string RowKey, TaskCompletionSource Done)> pending)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        while (count < pending.Count && (keys.Count < RawClickTransactionWriter.MaxTransactionSize || keys.Contains(pending[count].RowKey)))
        {
            keys.Add(pending[count].RowKey);
            count++;
        }

        var batch = pending[..count];
        pending.RemoveRange(0, count);
        return batch;
    }

    private async Task SubmitAsync(RawClickPartition partition, List<string> rowKeys)
    {
        while (true)
        {
            // Not the caller's token: the write is shared by every caller in the batch.
            var table = await tables.GetOrCreateAsync(partition.Account, partition.Table, CancellationToken.None);
            try
            {
                if (rowKeys.Count == 1)
                {
                    // The common case once the hour's burst is over; a plain upsert is a lighter request than a batch of one.
                    var entity = new TableEntity(partition.PartitionKey, rowKeys[0]);
                    await pipeline.ExecuteAsync(async token => await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, token), CancellationToken.None);
                }
                else
                {
                    var actions = rowKeys.Select(key => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition.PartitionKey, key))).ToList();
                    await pipeline.ExecuteAsync(async token => await table.SubmitTransactionAsync(actions, token), CancellationToken.None);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // The table was dropped after it was cached (retention, another process): create it again.
                tables.Forget(partition.Account, partition.Table);
            }
        }
    }

    private sealed class PartitionQueue
    {
        public Lock Gate { get; } = new();

        public List<(string RowKey, TaskCompletionSource Done)> Pending { get; } = [];

        public bool Writing { get; set; }

        public bool Closed { get; set; }
    }
}
