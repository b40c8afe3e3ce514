using System.Net;
using System.Text.Json;
using Orleans.AdClicks.Storage.Kusto;
using Orleans.AdClicks.Storage.Kusto.Client;
using Orleans.AdClicks.Tests.Kusto.Client;

namespace Orleans.AdClicks.Tests.Kusto;

/// <summary>The startup schema check against recorded management responses, and its commands checked by Microsoft's parser.</summary>
[Trait("Category", "Kusto")]
public sealed class KustoSchemaCheckTests(KustoParser parser) : IClassFixture<KustoParser>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Check_DatabaseAsSchemaKqlMakesIt_PassesAfterAskingForEachObject()
    {
        var handler = Responses("mgmt-database-schema.json", "mgmt-mappings.json", "mgmt-streaming-policy.json");

        await Check(handler);

        Assert.Equal(
        [
            ".show database schema as json",
            ".show table AdMinuteAggregates ingestion json mappings", ".show table AdMinuteAggregates policy streamingingestion",
            ".show table ReconciliationMismatches ingestion json mappings", ".show table ReconciliationMismatches policy streamingingestion",
            ".show table AdHourBreakdowns ingestion json mappings", ".show table AdHourBreakdowns policy streamingingestion",
        ],
            handler.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("csl").GetString()));
        Assert.All(handler.Requests, r => Assert.Equal("/v1/rest/mgmt", r.Uri.AbsolutePath));
    }

    [Theory]
    [InlineData("mgmt-database-schema-missing-column.json", "mgmt-mappings.json", "mgmt-streaming-policy.json", "table AdMinuteAggregates has no column Impressions (long)")]
    [InlineData("mgmt-database-schema-missing-view.json", "mgmt-mappings.json", "mgmt-streaming-policy.json", "materialized view AdMinuteLatest is missing")]
    [InlineData("mgmt-database-schema.json", "mgmt-mappings-other.json", "mgmt-streaming-policy.json", "json ingestion mapping AdMinuteAggregatesJson of table AdMinuteAggregates is missing")]
    [InlineData("mgmt-database-schema.json", "mgmt-mappings.json", "mgmt-streaming-policy-unset.json", "streaming ingestion policy of table AdMinuteAggregates is not enabled")]
    public async Task Check_AnObjectMissing_RefusesNamingItAndSchemaKql(string schema, string mappings, string policy, string problem)
    {
        var handler = Responses(schema, mappings, policy);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Check(handler));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains("Apply infra/kusto/schema.kql", error.Message, StringComparison.Ordinal);
        Assert.Single(error.Message.Split("; "));
    }

    [Fact]
    public async Task Check_NoTable_NamesEachTableAndTheViewWithoutAskingForTheTablesPolicies()
    {
        var handler = new RecordingKustoHandler((HttpStatusCode.OK, "mgmt-database-schema-no-table.json"), (HttpStatusCode.BadRequest, "mgmt-bad-request.json"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Check(handler));

        Assert.Single(handler.Requests);
        Assert.Contains("table AdMinuteAggregates is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("table ReconciliationMismatches is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("materialized view AdMinuteLatest is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ViewNotAlteredAfterItsTableGainedColumns_RefusesNamingEachColumnTheViewLacks()
    {
        var handler = Responses("mgmt-database-schema-stale-view.json", "mgmt-mappings.json", "mgmt-streaming-policy.json");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Check(handler));

        var problems = error.Message.Split("; ");
        Assert.Equal(5, problems.Length);
        Assert.Contains("materialized view AdMinuteLatest has no column InvalidExpiredToken of table AdMinuteAggregates", problems[0], StringComparison.Ordinal);
        Assert.Contains("InvalidCampaignFlood", problems[4], StringComparison.Ordinal);
        Assert.Contains("Apply infra/kusto/schema.kql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ClusterRefusesTheCommand_TheServersErrorNotASchemaVerdict()
    {
        var handler = new RecordingKustoHandler((HttpStatusCode.BadRequest, "mgmt-bad-request.json"));

        var error = await Assert.ThrowsAsync<KustoException>(() => Check(handler));

        Assert.True(error.IsPermanent);
    }

    [Fact]
    public void Definition_FromTheEmbeddedSchemaKql_NamesWhatTheWriterAndReadersUse()
    {
        var schema = KustoSchemaDefinition.Schema;

        var aggregates = schema[KustoAggregateTable.Name];
        Assert.Equal(KustoAggregateTable.JsonMapping, aggregates.Mapping);
        Assert.True(aggregates.StreamingIngestion);
        Assert.Equal(["AdId:guid", "Shard:int", "CampaignId:guid", "AdvertiserId:guid", "Minute:datetime", "Clicks:long", "Impressions:long", "Version:long", "WrittenAt:datetime",
                "InvalidExpiredToken:long", "InvalidKnownCrawler:long", "InvalidTooEarly:long", "InvalidAddressFlood:long", "InvalidCampaignFlood:long"],
            aggregates.Columns.Select(c => $"{c.Name}:{c.Type}"));
        Assert.Equal(aggregates.Columns.Select(c => c.Name), aggregates.MappingColumns);
        Assert.Equal(
            [new KustoSchemaDefinition.View(KustoAggregateTable.LatestView, KustoAggregateTable.Name, AllColumns: true),
                new KustoSchemaDefinition.View(KustoBreakdownTable.LatestView, KustoBreakdownTable.Name, AllColumns: true)],
            schema.Views);
        Assert.Equal([KustoAggregateTable.Name, "ReconciliationMismatches", KustoBreakdownTable.Name], schema.Tables.Select(t => t.Name));
        var breakdowns = schema[KustoBreakdownTable.Name];
        Assert.Equal(KustoBreakdownTable.JsonMapping, breakdowns.Mapping);
        Assert.True(breakdowns.StreamingIngestion);
        Assert.Equal(breakdowns.Columns.Select(c => c.Name), breakdowns.MappingColumns);
    }

    [Fact]
    public async Task Definition_EmbeddedCopy_IsTheRepositorysFile()
    {
        var onDisk = await File.ReadAllTextAsync(parser.SchemaPath, Cancel);

        Assert.Equal(KustoSchemaDefinition.Parse(onDisk), KustoSchemaDefinition.Schema, DefinitionComparer.Instance);
    }

    [Fact]
    public async Task Commands_ParseWithMicrosoftsParserWithoutDiagnostics()
    {
        var commands = KustoSchemaCheck.Commands(KustoSchemaDefinition.Schema).Select((c, i) => ($"check#{i}", c)).ToList();

        var results = await parser.DiagnoseAsync(commands, Cancel);

        Assert.Equal(1 + 2 * KustoSchemaDefinition.Schema.Tables.Count, commands.Count);
        Assert.All(commands, c => Assert.True(results[c.Item1].Count == 0, $"{c.Item2}: {string.Join("; ", results[c.Item1])}"));
    }

    // The database answer, then the given mappings and policy for the aggregates and good ones for the mismatches and breakdowns tables.
    private static RecordingKustoHandler Responses(string schema, string mappings, string policy) => new(
        (HttpStatusCode.OK, schema), (HttpStatusCode.OK, mappings), (HttpStatusCode.OK, policy),
        (HttpStatusCode.OK, "mgmt-mappings-mismatches.json"), (HttpStatusCode.OK, "mgmt-streaming-policy.json"),
        (HttpStatusCode.OK, "mgmt-mappings-breakdowns.json"), (HttpStatusCode.OK, "mgmt-streaming-policy.json"));

    private static Task Check(RecordingKustoHandler handler)
    {
        var connection = KustoConnection.Parse("ConnectionStrings:Kusto", "Data Source=https://adclicks.westeurope.kusto.windows.net;Initial Catalog=adclicks", () => new ScopeRecordingCredential());
        var client = new KustoManagementClient(new HttpClient(handler), connection, new KustoClientOptions { RetryDelay = TimeSpan.Zero });
        return new KustoSchemaCheck(client).CheckAsync(connection.Database, Cancel);
    }

    // The records hold lists, which compare by reference.
    private sealed class DefinitionComparer : IEqualityComparer<KustoSchemaDefinition>
    {
        public static readonly DefinitionComparer Instance = new();

        public bool Equals(KustoSchemaDefinition? x, KustoSchemaDefinition? y) =>
            x is not null && y is not null && x.Views.SequenceEqual(y.Views) && x.Tables.Count == y.Tables.Count
            && x.Tables.Zip(y.Tables).All(p => p.First.Name == p.Second.Name && p.First.Columns.SequenceEqual(p.Second.Columns) && p.First.Mapping == p.Second.Mapping
                && p.First.MappingColumns.SequenceEqual(p.Second.MappingColumns) && p.First.StreamingIngestion == p.Second.StreamingIngestion);

        public int GetHashCode(KustoSchemaDefinition obj) => obj.Tables.Count;
    }
}
