namespace Orleans.AdClicks.Tests.Kusto;

/// <summary>
/// Every file in queries/ (KQL for analysts) checked by Microsoft's Kusto parser against infra/kusto/schema.kql: a file
/// added there is checked without a change here.
/// </summary>
[Trait("Category", "Kusto")]
public sealed class AnalystQueryTests(KustoParser parser) : IClassFixture<KustoParser>
{
    [Fact]
    public async Task EveryQueryFile_OpensWithAComment_AndParsesWithoutDiagnostics()
    {
        // schema.kql sits in infra/kusto of the repository; queries/ is at its top.
        var folder = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(parser.SchemaPath)!, "..", "..", "queries"));
        var files = Directory.GetFiles(folder, "*.kql").Order(StringComparer.Ordinal).ToList();
        var texts = new List<(string Name, string Kql)>();
        foreach (var file in files)
        {
            texts.Add((Path.GetFileName(file), await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)));
        }

        var results = await parser.DiagnoseAsync(texts, TestContext.Current.CancellationToken);

        Assert.NotEmpty(texts);
        Assert.All(texts, t =>
        {
            Assert.True(t.Kql.StartsWith("//", StringComparison.Ordinal), $"{t.Name} does not open with a comment saying what it answers.");
            Assert.Contains("declare query_parameters(", t.Kql, StringComparison.Ordinal);
            Assert.True(results[t.Name].Count == 0, $"{t.Name}: {string.Join("; ", results[t.Name])}");
        });
    }
}
