using System.Text.Json;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Aggregates.Queries;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// The hourly breakdowns' reads on Azure Data Explorer: each rendered by <see cref="KqlRenderer"/> and run by
/// <see cref="KustoQueryClient"/> with the analytics limits; results are read by column name.
/// </summary>
public sealed class KustoBreakdownQueries(KustoQueryClient client, string database, KustoAggregateQueriesOptions? options = null) : IBreakdownQueries
{
    private readonly KustoQueryOptions _limits = (options ?? new KustoAggregateQueriesOptions()).Analytics;

    /// <inheritdoc />
    public async Task<IReadOnlyList<BreakdownTotal>> QueryBreakdownAsync(BreakdownQuery query, CancellationToken cancellationToken = default)
    {
        var (kql, parameters) = KqlRenderer.RenderBreakdown(query);
        var result = await client.QueryAsync(database, kql, parameters, _limits, cancellationToken).ConfigureAwait(false);
        var (value, clicks, impressions) = (result.Ordinal("Value"), result.Ordinal("Clicks"), result.Ordinal("Impressions"));
        return [.. result.Rows.Select(row => new BreakdownTotal(
            row[value].ValueKind == JsonValueKind.String ? row[value].GetString()! : throw KustoAggregateQueries.NullCell("Value", result),
            KustoAggregateQueries.Long(row[clicks]), KustoAggregateQueries.Long(row[impressions])))];
    }

    /// <summary>The highest version of any breakdown row of the ad shard in ADX, or null when it has none.</summary>
    public async Task<long?> ReadLatestBreakdownVersionAsync(AdKey key, CancellationToken cancellationToken = default)
    {
        var (kql, parameters) = KqlRenderer.RenderLatestBreakdownVersion(key);
        var result = await client.QueryAsync(database, kql, parameters, _limits, cancellationToken).ConfigureAwait(false);
        var version = result.Ordinal("Version");

        // max() over no rows is one row with a null cell.
        return result.Rows.Count == 0 || result.Rows[0][version].ValueKind == JsonValueKind.Null ? null : KustoAggregateQueries.Long(result.Rows[0][version]);
    }
}
