using System.Text.Json;

namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>A table of a management command's (v1) response: its name, columns and rows, one <see cref="JsonElement"/> per cell.</summary>
public sealed class KustoTable(string name, IReadOnlyList<KustoColumn> columns, IReadOnlyList<JsonElement[]> rows)
{
    public string Name { get; } = name;

    public IReadOnlyList<KustoColumn> Columns { get; } = columns;

    public IReadOnlyList<JsonElement[]> Rows { get; } = rows;

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

        throw new KeyNotFoundException($"The table {Name} has no column {name}.");
    }

    /// <summary>The string in column <paramref name="column"/> of <paramref name="row"/>; null for a null or non-string cell.</summary>
    public string? Text(JsonElement[] row, string column) =>
        row[Ordinal(column)] is { ValueKind: JsonValueKind.String } cell ? cell.GetString() : null;
}
