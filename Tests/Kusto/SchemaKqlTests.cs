using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Kusto;

/// <summary>
/// infra/kusto/schema.kql and queries over it, checked by Microsoft's Kusto parser; and proof that the
/// checker reports errors, so a clean result of the other tests means something.
/// </summary>
[Trait("Category", "Kusto")]
public sealed class SchemaKqlTests(KustoParser parser) : IClassFixture<KustoParser>
{
    [Fact]
    public async Task SchemaCommands_ParseWithoutDiagnostics()
    {
        var results = await parser.DiagnoseAsync([], TestContext.Current.CancellationToken);

        var commands = results.Where(r => r.Key.StartsWith(KustoParser.SchemaCommandPrefix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(commands);
        Assert.All(commands, c => Assert.True(c.Value.Count == 0, $"{c.Key}: {string.Join("; ", c.Value)}"));
    }

    [Fact]
    public async Task QueryOverLatestVersionView_UsingEveryColumn_ParsesClean()
    {
        const string Kql = """
            AdMinuteLatest
            | where Minute > ago(1h) and WrittenAt <= now() and Shard >= 0
            | summarize Clicks = sum(Clicks), Impressions = sum(Impressions), Version = max(Version) by AdvertiserId, CampaignId, AdId, Minute
            | extend Ctr = iff(Impressions == 0, real(null), todouble(Clicks) / Impressions)
            """;

        var results = await parser.DiagnoseAsync([("view", Kql)], TestContext.Current.CancellationToken);

        Assert.Empty(results["view"]);
    }

    [Fact]
    public async Task DeclaredQueryParameters_ParseClean()
    {
        const string Kql = """
            declare query_parameters(advertiserId: guid, startTime: datetime, endTime: datetime, maxRows: long);
            AdMinuteLatest
            | where AdvertiserId == advertiserId and Minute between (startTime .. endTime)
            | summarize Clicks = sum(Clicks) by AdId
            | top maxRows by Clicks desc
            """;

        var results = await parser.DiagnoseAsync([("parameters", Kql)], TestContext.Current.CancellationToken);

        Assert.Empty(results["parameters"]);
    }

    [Fact]
    public async Task Checker_ReportsUnknownColumn_UnknownFunction_AndTypeMismatch()
    {
        var results = await parser.DiagnoseAsync(
        [
            ("column", "AdMinuteLatest | project AdId, Clickz"),
            ("function", "AdMinuteLatest | extend Rate = clickthrough(Clicks, Impressions)"),
            ("type", "AdMinuteLatest | where Minute > 5"),
        ],
        TestContext.Current.CancellationToken);

        Assert.Contains(results["column"], d => d.Code == "KS142" && d.Message.Contains("Clickz", StringComparison.Ordinal));
        Assert.Contains(results["function"], d => d.Code == "KS211" && d.Message.Contains("clickthrough", StringComparison.Ordinal));
        Assert.Contains(results["type"], d => d.Code == "KS106");
    }

    [Fact]
    public async Task Checker_ReportsBrokenSchemaCommand()
    {
        using var directory = new TempDirectory();
        var broken = Path.Combine(directory.Path, "schema.kql");
        var schema = await File.ReadAllTextAsync(parser.SchemaPath, TestContext.Current.CancellationToken);
        Assert.Contains("policy caching hot", schema, StringComparison.Ordinal);
        await File.WriteAllTextAsync(broken, schema.Replace("policy caching hot", "policy cachin hot", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var results = await KustoParser.ForSchema(broken).DiagnoseAsync([], TestContext.Current.CancellationToken);

        Assert.Contains(results, r => r.Key.StartsWith(KustoParser.SchemaCommandPrefix, StringComparison.Ordinal) && r.Value.Any(d => d.Code == "KS005"));
    }
}
