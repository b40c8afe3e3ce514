using System.Text.Json;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates.Queries;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Tests.Kusto;

/// <summary>
/// Every KQL text of the hourly breakdowns, as the client sends it, checked by Microsoft's Kusto parser against
/// infra/kusto/schema.kql; and the tenant filter and parameters it must carry.
/// </summary>
[Trait("Category", "Kusto")]
public sealed class BreakdownKqlTests(KustoParser parser) : IClassFixture<KustoParser>
{
    private static readonly KustoQueryOptions Limits = new();

    [Fact]
    public async Task EveryBreakdownQuery_ParsesWithoutDiagnostics()
    {
        var texts = All().Select(q => (q.Name, Csl(q.Kql, q.Parameters))).ToList();

        var results = await parser.DiagnoseAsync(texts, TestContext.Current.CancellationToken);

        // 3 scopes × 4 dimensions × 2 tenants, and the latest version.
        Assert.Equal(25, texts.Count);
        Assert.All(texts, t => Assert.True(results[t.Name].Count == 0, $"{t.Name}: {string.Join("; ", results[t.Name])}\n{t.Item2}"));
    }

    [Fact]
    public async Task Checker_ReportsABreakdownQueryOverAMissingColumn_SoACleanRunMeansSomething()
    {
        var (kql, parameters) = KqlRenderer.RenderBreakdown(Query(AnalyticsTenant.All, SeriesScope.Ad(AggregateQueryCatalog.Ad), BreakdownDimension.Device));
        var csl = Csl(kql.Replace("by Value", "by Device", StringComparison.Ordinal), parameters);

        var results = await parser.DiagnoseAsync([("broken", csl)], TestContext.Current.CancellationToken);

        Assert.Contains(results["broken"], d => d.Code == "KS142");
    }

    [Fact]
    public void AdvertiserTenant_EveryBreakdownQuery_FiltersByTheTenant_ValuesOnlyAsParameters()
    {
        var queries = All().Where(q => q.Name.EndsWith("-advertiser", StringComparison.Ordinal)).ToList();

        Assert.Equal(12, queries.Count);
        Assert.All(queries, q =>
        {
            Assert.StartsWith("AdHourBreakdownLatest\n| where AdvertiserId == tenantId and ", q.Kql, StringComparison.Ordinal);
            Assert.Equal($"guid({AggregateQueryCatalog.Advertiser:D})", Assert.Single(q.Parameters, p => p.Name == "tenantId").Value);
            Assert.DoesNotContain(AggregateQueryCatalog.Advertiser.ToString("D"), q.Kql, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("2026-01-01", q.Kql, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void LatestBreakdownVersion_ReadsTheBaseTable_NotTheView()
    {
        var (kql, parameters) = KqlRenderer.RenderLatestBreakdownVersion(new AdKey(AggregateQueryCatalog.Ad, 3));

        Assert.StartsWith("AdHourBreakdowns\n", kql, StringComparison.Ordinal);
        Assert.Equal(["adId", "shard"], parameters.Select(p => p.Name));
    }

    private static IEnumerable<(string Name, string Kql, IReadOnlyList<KustoParameter> Parameters)> All()
    {
        (string, AnalyticsTenant)[] tenants = [("all", AnalyticsTenant.All), ("advertiser", AnalyticsTenant.Advertiser(AggregateQueryCatalog.Advertiser))];
        (string, SeriesScope)[] scopes =
        [
            ("ad", SeriesScope.Ad(AggregateQueryCatalog.Ad)), ("campaign", SeriesScope.Campaign(AggregateQueryCatalog.Campaign)),
            ("advertiser", SeriesScope.Advertiser(AggregateQueryCatalog.OtherAdvertiser)),
        ];
        foreach (var (tenantName, tenant) in tenants)
        {
            foreach (var (scopeName, scope) in scopes)
            {
                foreach (var dimension in Enum.GetValues<BreakdownDimension>())
                {
                    var (kql, parameters) = KqlRenderer.RenderBreakdown(Query(tenant, scope, dimension));
                    yield return ($"breakdown-{scopeName}-{dimension.ApiName()}-{tenantName}", kql, parameters);
                }
            }
        }

        var (latest, latestParameters) = KqlRenderer.RenderLatestBreakdownVersion(new AdKey(AggregateQueryCatalog.Ad, 3));
        yield return ("latest-breakdown-version", latest, latestParameters);
    }

    private static BreakdownQuery Query(AnalyticsTenant tenant, SeriesScope scope, BreakdownDimension dimension) =>
        new(tenant, scope, dimension, AggregateQueryCatalog.From, AggregateQueryCatalog.To);

    /// <summary>The csl of the request body the client sends: the declared parameters, then the query.</summary>
    private static string Csl(string kql, IReadOnlyList<KustoParameter> parameters)
    {
        using var body = JsonDocument.Parse(KustoQueryClient.Body("adclicks", kql, parameters, Limits));
        return body.RootElement.GetProperty("csl").GetString()!;
    }
}
