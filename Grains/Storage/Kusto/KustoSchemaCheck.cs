using System.Text.Json;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// Checks at startup that the ADX database holds what infra/kusto/schema.kql creates (the file is embedded and read,
/// so it stays the one source): each table with each column and type, its JSON ingestion mapping with each column and
/// its streaming ingestion policy, and each materialized view over its table. The process refuses
/// to start rather than write into a wrong schema.
/// </summary>
public sealed class KustoSchemaCheck(KustoManagementClient client)
{
    /// <summary>
    /// The commands the check sends, with the response each one has: <c>.show database schema as json</c> is one row,
    /// one column DatabaseSchema, a JSON text <c>{"Databases":{"db":{"Tables":{"T":{"OrderedColumns":[{"Name","CslType"}]}},
    /// "MaterializedViews":{"V":{"SourceTable"}}}}}</c>; the mappings command has a row per mapping (Name, Kind, Mapping,
    /// …); the policy command one row (PolicyName, EntityName, Policy: a JSON text with IsEnabled, or null when unset).
    /// </summary>
    internal const string DatabaseSchemaCommand = ".show database schema as json";

    internal static string MappingsCommand(string table) => $".show table {table} ingestion json mappings";

    internal static string StreamingPolicyCommand(string table) => $".show table {table} policy streamingingestion";

    /// <summary>Every command the check can send, for the parser test.</summary>
    internal static IEnumerable<string> Commands(KustoSchemaDefinition schema) =>
        [DatabaseSchemaCommand, .. schema.Tables.SelectMany(t => new[] { MappingsCommand(t.Name), StreamingPolicyCommand(t.Name) })];

    /// <summary>Throws unless the database matches the embedded infra/kusto/schema.kql.</summary>
    /// <exception cref="InvalidOperationException">Names each missing or wrong object and says to apply infra/kusto/schema.kql.</exception>
    /// <exception cref="KustoException">The cluster could not be asked.</exception>
    public Task CheckAsync(string database, CancellationToken cancellationToken) => CheckAsync(database, KustoSchemaDefinition.Schema, cancellationToken);

    internal async Task CheckAsync(string database, KustoSchemaDefinition schema, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var result = await client.ExecuteAsync(database, DatabaseSchemaCommand, cancellationToken: cancellationToken).ConfigureAwait(false);
        var json = result.Primary.Rows.Count > 0 ? result.Primary.Text(result.Primary.Rows[0], "DatabaseSchema") : null;
        using var document = JsonDocument.Parse(json ?? "{}");
        var databaseSchema = Database(document.RootElement, database);
        foreach (var expected in schema.Tables)
        {
            if (!TryChild(databaseSchema, "Tables", expected.Name, out var table))
            {
                // Its mapping and policy commands would fail on the missing table, which is named already.
                problems.Add($"table {expected.Name} is missing");
                continue;
            }

            CheckColumns(expected, table, problems);
            if (expected.Mapping is not null)
            {
                await CheckMappingAsync(database, expected, problems, cancellationToken).ConfigureAwait(false);
            }

            if (expected.StreamingIngestion)
            {
                await CheckStreamingAsync(database, expected, problems, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var expected in schema.Views)
        {
            if (!TryChild(databaseSchema, "MaterializedViews", expected.Name, out var view))
            {
                problems.Add($"materialized view {expected.Name} is missing");
            }
            else if (Text(view, "SourceTable") is { } source && !string.Equals(source, expected.Source, StringComparison.Ordinal))
            {
                problems.Add($"materialized view {expected.Name} reads table {source}, not {expected.Source}");
            }
            else if (expected.AllColumns && TryChild(databaseSchema, "Tables", expected.Source, out var sourceTable))
            {
                CheckViewColumns(expected, sourceTable, view, problems);
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"The Azure Data Explorer database {database} does not match infra/kusto/schema.kql: {string.Join("; ", problems)}. "
                + "Apply infra/kusto/schema.kql to the database (every command in it is idempotent), then start again.");
        }
    }

    private static void CheckColumns(KustoSchemaDefinition.Table expected, JsonElement table, List<string> problems)
    {
        var actual = table.TryGetProperty("OrderedColumns", out var columns) && columns.ValueKind == JsonValueKind.Array
            ? columns.EnumerateArray().Where(c => Text(c, "Name") is not null).ToDictionary(c => Text(c, "Name")!, c => Text(c, "CslType"), StringComparer.Ordinal)
            : [];
        foreach (var column in expected.Columns)
        {
            if (!actual.TryGetValue(column.Name, out var type))
            {
                problems.Add($"table {expected.Name} has no column {column.Name} ({column.Type})");
            }
            else if (!string.Equals(type, column.Type, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"column {expected.Name}.{column.Name} is {type}, not {column.Type}");
            }
        }
    }

    /// <summary>
    /// A view over <c>*</c> keeps the columns its table had when it was created or last altered: one that lacks a column the
    /// database's table has was not altered after the table changed (schema.kql's create-or-alter does that), and ADX disables it.
    /// </summary>
    private static void CheckViewColumns(KustoSchemaDefinition.View expected, JsonElement table, JsonElement view, List<string> problems)
    {
        if (!view.TryGetProperty("OrderedColumns", out _))
        {
            return;
        }

        var present = Columns(view).ToHashSet(StringComparer.Ordinal);
        foreach (var column in Columns(table).Where(c => !present.Contains(c)))
        {
            problems.Add($"materialized view {expected.Name} has no column {column} of table {expected.Source} (alter the view, then enable it if it was disabled)");
        }
    }

    private static IEnumerable<string> Columns(JsonElement tableOrView) =>
        tableOrView.TryGetProperty("OrderedColumns", out var columns) && columns.ValueKind == JsonValueKind.Array
            ? columns.EnumerateArray().Select(c => Text(c, "Name")).OfType<string>()
            : [];

    private async Task CheckMappingAsync(string database, KustoSchemaDefinition.Table expected, List<string> problems, CancellationToken cancellationToken)
    {
        var mappings = (await client.ExecuteAsync(database, MappingsCommand(expected.Name), cancellationToken: cancellationToken).ConfigureAwait(false)).Primary;
        var mapping = mappings.Rows.FirstOrDefault(r => mappings.Text(r, "Name") == expected.Mapping);
        if (mapping is null)
        {
            problems.Add($"json ingestion mapping {expected.Mapping} of table {expected.Name} is missing");
            return;
        }

        using var definition = JsonDocument.Parse(mappings.Text(mapping, "Mapping") ?? "[]");
        var mapped = definition.RootElement.ValueKind == JsonValueKind.Array
            ? definition.RootElement.EnumerateArray().Select(m => Text(m, "column") ?? Text(m, "Column")).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var column in expected.MappingColumns.Where(c => !mapped.Contains(c)))
        {
            problems.Add($"json ingestion mapping {expected.Mapping} does not map column {column}");
        }
    }

    private async Task CheckStreamingAsync(string database, KustoSchemaDefinition.Table expected, List<string> problems, CancellationToken cancellationToken)
    {
        var policies = (await client.ExecuteAsync(database, StreamingPolicyCommand(expected.Name), cancellationToken: cancellationToken).ConfigureAwait(false)).Primary;
        var policy = policies.Rows.Count > 0 ? policies.Text(policies.Rows[0], "Policy") : null;
        using var document = JsonDocument.Parse(policy ?? "{}");
        if (!(document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("IsEnabled", out var enabled) && enabled.ValueKind == JsonValueKind.True))
        {
            problems.Add($"streaming ingestion policy of table {expected.Name} is not enabled");
        }
    }

    // The response names the database as the cluster spells it: take it by name, case-insensitively, or the only one.
    private static JsonElement Database(JsonElement root, string database)
    {
        if (!root.TryGetProperty("Databases", out var databases) || databases.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        var all = databases.EnumerateObject().ToList();
        foreach (var named in all)
        {
            if (string.Equals(named.Name, database, StringComparison.OrdinalIgnoreCase))
            {
                return named.Value;
            }
        }

        return all.Count == 1 ? all[0].Value : default;
    }

    private static bool TryChild(JsonElement database, string collection, string name, out JsonElement child)
    {
        child = default;
        return database.ValueKind == JsonValueKind.Object
            && database.TryGetProperty(collection, out var items) && items.ValueKind == JsonValueKind.Object
            && items.TryGetProperty(name, out child) && child.ValueKind == JsonValueKind.Object;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
