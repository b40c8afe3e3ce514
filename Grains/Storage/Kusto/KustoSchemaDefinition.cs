using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// What infra/kusto/schema.kql creates, read from the file itself (embedded in this assembly) so that it stays the
/// one source: each table with its typed columns, its JSON ingestion mapping and its streaming policy, and each
/// materialized view with the table it reads.
/// </summary>
internal sealed partial record KustoSchemaDefinition(IReadOnlyList<KustoSchemaDefinition.Table> Tables, IReadOnlyList<KustoSchemaDefinition.View> Views)
{
    private const string ResourceName = "Orleans.AdClicks.Storage.Kusto.schema.kql";

    private static readonly Lazy<KustoSchemaDefinition> Embedded = new(() =>
    {
        using var stream = typeof(KustoSchemaDefinition).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The resource {ResourceName} (infra/kusto/schema.kql) is not embedded.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    });

    /// <summary>infra/kusto/schema.kql as this build embeds it.</summary>
    public static KustoSchemaDefinition Schema => Embedded.Value;

    /// <summary>The table named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The file creates no such table.</exception>
    public Table this[string name] => Tables.FirstOrDefault(t => t.Name == name) ?? throw new KeyNotFoundException($"infra/kusto/schema.kql creates no table {name}.");

    /// <summary>Reads the commands of a schema file: one per block, blocks separated by blank lines, comment lines ignored.</summary>
    /// <exception cref="InvalidOperationException">The file creates no table.</exception>
    public static KustoSchemaDefinition Parse(string schemaKql)
    {
        var commands = Regex.Split(schemaKql, @"\r?\n\s*\r?\n")
            .Select(block => string.Join('\n', block.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal))).Trim())
            .Where(c => c.Length > 0)
            .ToList();

        var mappings = Matches(commands, MappingCommand()).ToDictionary(m => m.Groups[1].Value, m => m);
        var streaming = Matches(commands, StreamingCommand()).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var tables = Matches(commands, TableCommand()).Select(table =>
        {
            var name = table.Groups[1].Value;
            var columns = table.Groups[2].Value.Split(',').Select(c => c.Split(':', 2)).Select(p => new Column(p[0].Trim(), p[1].Trim())).ToList();
            if (!mappings.TryGetValue(name, out var mapping))
            {
                return new Table(name, columns, null, [], streaming.Contains(name));
            }

            using var json = JsonDocument.Parse(mapping.Groups[3].Value);
            var mapped = json.RootElement.EnumerateArray().Select(m => m.GetProperty("column").GetString()!).ToList();
            return new Table(name, columns, mapping.Groups[2].Value, mapped, streaming.Contains(name));
        }).ToList();
        var views = Matches(commands, ViewCommand()).Select(m => new View(m.Groups[1].Value, m.Groups[2].Value, AllColumnsAggregation().IsMatch(m.Groups[3].Value))).ToList();

        return tables.Count == 0
            ? throw new InvalidOperationException("infra/kusto/schema.kql creates no table.")
            : new KustoSchemaDefinition(tables, views);
    }

    private static IEnumerable<Match> Matches(List<string> commands, Regex pattern) =>
        commands.Select(c => pattern.Match(c)).Where(m => m.Success);

    [GeneratedRegex(@"^\.create-merge table (\w+) \(([^)]*)\)$")]
    private static partial Regex TableCommand();

    [GeneratedRegex(@"^\.create-or-alter table (\w+) ingestion json mapping ""(\w+)"" '(.*)'$", RegexOptions.Singleline)]
    private static partial Regex MappingCommand();

    [GeneratedRegex(@"^\.alter table (\w+) policy streamingingestion enable$")]
    private static partial Regex StreamingCommand();

    [GeneratedRegex(@"^\.create[\w -]* materialized-view(?: with \([^)]*\))? (\w+) on table (\w+)(.*)$", RegexOptions.Singleline)]
    private static partial Regex ViewCommand();

    // arg_max(Version, *), arg_min(…, *), take_any(*): the view has every column of its table.
    [GeneratedRegex(@"\b(?:arg_max|arg_min|take_any)\s*\([^)]*\*\s*\)")]
    private static partial Regex AllColumnsAggregation();

    /// <summary>A table, its columns, its JSON ingestion mapping (null when the file makes none) and whether streaming ingestion is enabled on it.</summary>
    public sealed record Table(string Name, IReadOnlyList<Column> Columns, string? Mapping, IReadOnlyList<string> MappingColumns, bool StreamingIngestion);

    /// <summary>A column and its Kusto type.</summary>
    public sealed record Column(string Name, string Type);

    /// <summary>A materialized view and the table it reads; <paramref name="AllColumns"/> when its aggregation takes <c>*</c>, so it has every column of the table.</summary>
    public sealed record View(string Name, string Source, bool AllColumns = false);
}
