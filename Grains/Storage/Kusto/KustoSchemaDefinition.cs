using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>
/// What infra/kusto/schema.kql creates, read from the file itself (embedded in this assembly) so that it stays the
/// one source: the table and its typed columns, the JSON ingestion mapping, the streaming policy, the latest-version view.
/// </summary>
internal sealed partial record KustoSchemaDefinition(
    string Table,
    IReadOnlyList<KustoSchemaDefinition.Column> Columns,
    string Mapping,
    IReadOnlyList<string> MappingColumns,
    bool StreamingIngestion,
    string View,
    string ViewSource)
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

    /// <summary>Reads the commands of a schema file: one per block, blocks separated by blank lines, comment lines ignored.</summary>
    /// <exception cref="InvalidOperationException">The file lacks the table, the mapping or the view.</exception>
    public static KustoSchemaDefinition Parse(string schemaKql)
    {
        var commands = Regex.Split(schemaKql, @"\r?\n\s*\r?\n")
            .Select(block => string.Join('\n', block.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal))).Trim())
            .Where(c => c.Length > 0)
            .ToList();

        var table = One(commands, TableCommand(), "a .create-merge table command");
        var columns = table.Groups[2].Value.Split(',')
            .Select(c => c.Split(':', 2))
            .Select(p => new Column(p[0].Trim(), p[1].Trim()))
            .ToList();
        var mapping = One(commands, MappingCommand(), "a json ingestion mapping");
        using var mappingJson = JsonDocument.Parse(mapping.Groups[3].Value);
        var mappingColumns = mappingJson.RootElement.EnumerateArray().Select(m => m.GetProperty("column").GetString()!).ToList();
        var view = One(commands, ViewCommand(), "a materialized view");
        var streaming = commands.Select(c => StreamingCommand().Match(c)).Any(m => m.Success && m.Groups[1].Value == table.Groups[1].Value);

        return new KustoSchemaDefinition(table.Groups[1].Value, columns, mapping.Groups[2].Value, mappingColumns, streaming, view.Groups[1].Value, view.Groups[2].Value);
    }

    private static Match One(List<string> commands, Regex pattern, string what) =>
        commands.Select(c => pattern.Match(c)).FirstOrDefault(m => m.Success)
        ?? throw new InvalidOperationException($"infra/kusto/schema.kql has no {what}.");

    [GeneratedRegex(@"^\.create-merge table (\w+) \(([^)]*)\)$")]
    private static partial Regex TableCommand();

    [GeneratedRegex(@"^\.create-or-alter table (\w+) ingestion json mapping ""(\w+)"" '(.*)'$", RegexOptions.Singleline)]
    private static partial Regex MappingCommand();

    [GeneratedRegex(@"^\.alter table (\w+) policy streamingingestion enable$")]
    private static partial Regex StreamingCommand();

    [GeneratedRegex(@"^\.create[\w -]* materialized-view(?: with \([^)]*\))? (\w+) on table (\w+)")]
    private static partial Regex ViewCommand();

    /// <summary>A column and its Kusto type.</summary>
    public sealed record Column(string Name, string Type);
}
