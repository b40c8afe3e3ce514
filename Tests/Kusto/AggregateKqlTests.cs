using System.Text.Json;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates.Queries;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Tests.Kusto;

/// <summary>
/// Every KQL text the query model emits, as the client sends it (with its <c>declare query_parameters</c>), checked
/// by Microsoft's Kusto parser against infra/kusto/schema.kql; and the tenant filter and parameters it must carry.
/// </summary>
[Trait("Category", "Kusto")]
public sealed class AggregateKqlTests(KustoParser parser) : IClassFixture<KustoParser>
{
    private static readonly KustoQueryOptions Limits = new();

    [Fact]
    public async Task EveryEmittedQuery_ParsesWithoutDiagnostics()
    {
        var texts = AggregateQueryCatalog.All().Select(q => (q.Name, Csl(q.Query))).ToList();

        var results = await parser.DiagnoseAsync(texts, TestContext.Current.CancellationToken);

        // 34 kinds, filter combinations and sorts, plus the 16 pieces of the hour read.
        Assert.Equal(50, texts.Count);
        Assert.All(texts, t => Assert.True(results[t.Name].Count == 0, $"{t.Name}: {string.Join("; ", results[t.Name])}\n{t.Item2}"));
    }

    [Fact]
    public async Task Checker_ReportsAQueryOverAMissingColumn_SoACleanRunMeansSomething()
    {
        var csl = Csl(AggregateQueryCatalog.All().First().Query).Replace("Impressions = sum(Impressions)", "Impressions = sum(Views)", StringComparison.Ordinal);

        var results = await parser.DiagnoseAsync([("broken", csl)], TestContext.Current.CancellationToken);

        Assert.Contains(results["broken"], d => d.Code == "KS142");
    }

    [Fact]
    public void AdvertiserTenant_EveryQuery_FiltersByTheTenantWhateverTheOtherFilters()
    {
        var advertiserQueries = AggregateQueryCatalog.All().Where(q => q.Query.Tenant.AdvertiserId is not null).ToList();

        Assert.NotEmpty(advertiserQueries);
        Assert.All(advertiserQueries, q =>
        {
            var (kql, parameters) = KqlRenderer.Render(q.Query);
            Assert.Contains("| where AdvertiserId == tenantId", kql, StringComparison.Ordinal);
            Assert.Equal($"guid({AggregateQueryCatalog.Advertiser:D})", Assert.Single(parameters, p => p.Name == "tenantId").Value);
        });
    }

    [Fact]
    public void AllTenant_NoTenantFilter()
    {
        var all = AggregateQueryCatalog.All().Where(q => q.Query.Tenant.AdvertiserId is null).ToList();

        Assert.All(all, q => Assert.DoesNotContain("tenantId", KqlRenderer.Render(q.Query).Kql, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryQuery_ValuesOnlyAsParameters_NeverInTheText()
    {
        string[] values =
        [
            AggregateQueryCatalog.Ad.ToString("D"), AggregateQueryCatalog.Campaign.ToString("D"), AggregateQueryCatalog.Advertiser.ToString("D"),
            AggregateQueryCatalog.OtherAdvertiser.ToString("D"), "2026-01-01", "2026-01-02", "\"6f\"", "'6f'",
        ];

        Assert.All(AggregateQueryCatalog.All(), q =>
        {
            var kql = KqlRenderer.Render(q.Query).Kql;
            Assert.All(values, v => Assert.DoesNotContain(v, kql, StringComparison.OrdinalIgnoreCase));
        });
    }

    [Fact]
    public void AdvertiserSeries_FiltersTheAdvertiserOnly_EveryOneOfItsAds()
    {
        var (kql, parameters) = KqlRenderer.Render(AggregateQuery.Series(
            AnalyticsTenant.All, SeriesScope.Advertiser(AggregateQueryCatalog.Advertiser), AggregateQueryCatalog.From, AggregateQueryCatalog.To, Granularity.Day));

        Assert.Contains("| where AdvertiserId == advertiserId and Minute >= fromTime", kql, StringComparison.Ordinal);
        Assert.DoesNotContain("AdId ==", kql, StringComparison.Ordinal);
        Assert.DoesNotContain("CampaignId ==", kql, StringComparison.Ordinal);
        Assert.Equal($"guid({AggregateQueryCatalog.Advertiser:D})", Assert.Single(parameters, p => p.Name == "advertiserId").Value);
    }

    [Theory]
    [InlineData(TopAdsSort.Clicks, "| order by Clicks desc, Impressions desc, tostring(AdId) asc")]
    [InlineData(TopAdsSort.Impressions, "| order by Impressions desc, Clicks desc, tostring(AdId) asc")]
    [InlineData(TopAdsSort.Ctr, "| extend Ctr = iff(Impressions == 0, 0.0, todouble(Clicks) / Impressions)\n| order by Ctr desc, Clicks desc, Impressions desc, tostring(AdId) asc")]
    public void TopAds_EachSort_OrderedByItThenTheTies(TopAdsSort sort, string order)
    {
        var kql = KqlRenderer.Render(AggregateQuery.TopAds(AnalyticsTenant.All, new TopAdsQuery(AggregateQueryCatalog.From, AggregateQueryCatalog.To, 10, null, null, sort))).Kql;

        Assert.Contains(order + "\n| take maxAds", kql, StringComparison.Ordinal);
    }

    [Fact]
    public void LatestVersion_ReadsTheBaseTable_AnalyticsAndHourReadTheView()
    {
        var texts = AggregateQueryCatalog.All().ToDictionary(q => q.Name, q => KqlRenderer.Render(q.Query).Kql);

        Assert.StartsWith("AdMinuteAggregates\n", texts["latest-version"], StringComparison.Ordinal);
        Assert.All(texts.Where(t => t.Key != "latest-version"), t => Assert.StartsWith("AdMinuteLatest\n", t.Value, StringComparison.Ordinal));
    }

    /// <summary>The csl of the request body the client sends: the declared parameters, then the query.</summary>
    private static string Csl(AggregateQuery query)
    {
        var (kql, parameters) = KqlRenderer.Render(query);
        using var body = JsonDocument.Parse(KustoQueryClient.Body("adclicks", kql, parameters, Limits));
        return body.RootElement.GetProperty("csl").GetString()!;
    }
}
