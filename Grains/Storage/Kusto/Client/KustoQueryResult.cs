using System.Text.Json;

namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>The primary result table of a query: its columns and its rows, one <see cref="JsonElement"/> per cell (null cells are <see cref="JsonValueKind.Null"/>).</summary>
public sealed class KustoQueryResult(IReadOnlyList<KustoColumn> columns, IReadOnlyList<JsonElement[]> rows, string requestId)
{
    public IReadOnlyList<KustoColumn> Columns { get; } = columns;

    public IReadOnlyList<JsonElement[]> Rows { get; } = rows;

    /// <summary>The <c>x-ms-client-request-id</c> the query was sent with.</summary>
    public string RequestId { get; } = requestId;

    /// <summary>The position of the column named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public int Ordinal(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"The result has no column {name}.");
    }
}
