using System.Text.Json;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// Checks at startup that the ADX database holds what infra/kusto/schema.kql creates (the file is embedded and read,
/// so it stays the one source): the table with each column and type, the JSON ingestion mapping with each column, the
/// table's streaming ingestion policy, and the latest-version materialized view over the table. The process refuses
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
        [DatabaseSchemaCommand, MappingsCommand(schema.Table), StreamingPolicyCommand(schema.Table)];

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
        var hasTable = TryChild(databaseSchema, "Tables", schema.Table, out var table);
        if (!hasTable)
        {
            problems.Add($"table {schema.Table} is missing");
        }
        else
        {
            CheckColumns(schema, table, problems);
        }

        if (!TryChild(databaseSchema, "MaterializedViews", schema.View, out var view))
        {
            problems.Add($"materialized view {schema.View} is missing");
        }
        else if (Text(view, "SourceTable") is { } source && !string.Equals(source, schema.ViewSource, StringComparison.Ordinal))
        {
            problems.Add($"materialized view {schema.View} reads table {source}, not {schema.ViewSource}");
        }

        // Both commands fail on a missing table, which is already named.
        if (hasTable)
        {
            await CheckMappingAsync(database, schema, problems, cancellationToken).ConfigureAwait(false);
            if (schema.StreamingIngestion)
            {
                await CheckStreamingAsync(database, schema, problems, cancellationToken).ConfigureAwait(false);
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"The Azure Data Explorer database {database} does not match infra/kusto/schema.kql: {string.Join("; ", problems)}. "
                + "Apply infra/kusto/schema.kql to the database (every command in it is idempotent), then start again.");
        }
    }

    private static void CheckColumns(KustoSchemaDefinition schema, JsonElement table, List<string> problems)
    {
        var actual = table.TryGetProperty("OrderedColumns", out var columns) && columns.ValueKind == JsonValueKind.Array
            ? columns.EnumerateArray().Where(c => Text(c, "Name") is not null).ToDictionary(c => Text(c, "Name")!, c => Text(c, "CslType"), StringComparer.Ordinal)
            : [];
        foreach (var column in schema.Columns)
        {
            if (!actual.TryGetValue(column.Name, out var type))
            {
                problems.Add($"table {schema.Table} has no column {column.Name} ({column.Type})");
            }
            else if (!string.Equals(type, column.Type, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"column {schema.Table}.{column.Name} is {type}, not {column.Type}");
            }
        }
    }

    private async Task CheckMappingAsync(string database, KustoSchemaDefinition schema, List<string> problems, CancellationToken cancellationToken)
    {
        var mappings = (await client.ExecuteAsync(database, MappingsCommand(schema.Table), cancellationToken: cancellationToken).ConfigureAwait(false)).Primary;
        var mapping = mappings.Rows.FirstOrDefault(r => mappings.Text(r, "Name") == schema.Mapping);
        if (mapping is null)
        {
            problems.Add($"json ingestion mapping {schema.Mapping} of table {schema.Table} is missing");
            return;
        }

        using var definition = JsonDocument.Parse(mappings.Text(mapping, "Mapping") ?? "[]");
        var mapped = definition.RootElement.ValueKind == JsonValueKind.Array
            ? definition.RootElement.EnumerateArray().Select(m => Text(m, "column") ?? Text(m, "Column")).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var column in schema.MappingColumns.Where(c => !mapped.Contains(c)))
        {
            problems.Add($"json ingestion mapping {schema.Mapping} does not map column {column}");
        }
    }

    private async Task CheckStreamingAsync(string database, KustoSchemaDefinition schema, List<string> problems, CancellationToken cancellationToken)
    {
        var policies = (await client.ExecuteAsync(database, StreamingPolicyCommand(schema.Table), cancellationToken: cancellationToken).ConfigureAwait(false)).Primary;
        var policy = policies.Rows.Count > 0 ? policies.Text(policies.Rows[0], "Policy") : null;
        using var document = JsonDocument.Parse(policy ?? "{}");
        if (!(document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("IsEnabled", out var enabled) && enabled.ValueKind == JsonValueKind.True))
        {
            problems.Add($"streaming ingestion policy of table {schema.Table} is not enabled");
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
