using System.Collections.Concurrent;
using Azure.Data.Tables;
using Polly;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>The day tables of every account: created on first write and remembered, listed for counts and retention.</summary>
internal sealed class RawClickTables(IReadOnlyList<TableServiceClient> accounts, ResiliencePipeline pipeline)
{
    private readonly ConcurrentDictionary<(int Account, string Table), TableClient> _created = new();

    public int Accounts => accounts.Count;

    public TableClient Get(int account, string table) => accounts[account].GetTableClient(table);

    public async ValueTask<TableClient> GetOrCreateAsync(int account, string table, CancellationToken cancellationToken)
    {
        if (_created.TryGetValue((account, table), out var client))
        {
            return client;
        }

        client = Get(account, table);
        await pipeline.ExecuteAsync(async token => await client.CreateIfNotExistsAsync(token), cancellationToken);
        _created[(account, table)] = client;
        return client;
    }

    /// <summary>Drops a table from the cache of created ones, when it turned out to be gone.</summary>
    public void Forget(int account, string table) => _created.TryRemove((account, table), out _);

    /// <summary>The names of the account's tables in [<paramref name="first"/>, <paramref name="last"/>], in name order.</summary>
    public ValueTask<List<string>> ListAsync(int account, string first, string last, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(
            async token =>
            {
                var names = new List<string>();
                var filter = TableServiceClient.CreateQueryFilter($"TableName ge {first} and TableName le {last}");
                await foreach (var table in accounts[account].QueryAsync(filter, cancellationToken: token))
                {
                    names.Add(table.Name);
                }

                return names;
            },
            cancellationToken);

    public async Task DeleteAsync(int account, string table, CancellationToken cancellationToken)
    {
        Forget(account, table);
        await pipeline.ExecuteAsync(async token => await accounts[account].DeleteTableAsync(table, token), cancellationToken);
    }
}
