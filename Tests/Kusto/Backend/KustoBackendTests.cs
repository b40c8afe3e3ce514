using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.Kusto;
using Orleans.AdClicks.Storage.Kusto.Client;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tests.Kusto.Client;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Kusto.Backend;

/// <summary>
/// The Kusto backend wired as configuration chooses it (ConnectionStrings:Kusto), through the real silo, grains, Api and
/// REST clients, against <see cref="ScriptedKustoCluster"/>: what the product sends ADX, and what it does with the answers.
/// </summary>
[Trait("Category", "Kusto")]
public sealed class KustoBackendTests : IDisposable
{
    private const string Connection = "Data Source=https://adclicks.westeurope.kusto.windows.net;Initial Catalog=adclicks";

    private readonly TempDirectory _data = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Silo_DatabaseWithoutTheLatestVersionView_RefusesToStartNamingIt()
    {
        var adx = new ScriptedKustoCluster("mgmt-database-schema-missing-view.json");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => DeployAsync(adx));

        Assert.Contains("materialized view AdMinuteLatest is missing", Messages(error), StringComparison.Ordinal);
        Assert.Empty(adx.Ingested);
    }

    [Fact]
    public async Task Clicks_CountedOnKusto_IngestedAsAbsoluteRowsWithRisingVersionsGroupedAcrossGrains()
    {
        var adx = new ScriptedKustoCluster();
        await using var cluster = await DeployAsync(adx);
        var ads = await cluster.Client.CreateAdsAsync(3);
        var minute = MinuteBucket.Of(DateTimeOffset.UtcNow);

        await cluster.Client.PublishAsync(ads.SelectMany(ad => Clicks(ad, minute, 5)));
        await LatestCountsAsync(adx, ads, minute, _ => 5);
        await cluster.Client.PublishAsync(Clicks(ads[0], minute, 2));
        var rows = await LatestCountsAsync(adx, ads, minute, ad => ad == ads[0] ? 7 : 5);

        Assert.Contains(".show database schema as json", adx.Commands);
        Assert.All(ads, ad => Assert.Equal((ad.CampaignId, ad.AdvertiserId), (rows[ad.Id].Row.CampaignId, rows[ad.Id].Row.AdvertiserId)));
        var first = adx.MinuteRows.Where(r => r.Row.AdId == ads[0].Id).Select(r => r.Row).ToList();
        Assert.True(first.Zip(first.Skip(1)).All(p => p.Second.Version > p.First.Version), "a later row of the minute has a higher version");
        // One process commits the rows of many grains in one request (2 s apart, while each grain flushes every second).
        Assert.Contains(adx.Ingested, batch => batch.Rows.Select(r => r.GetProperty("AdId").GetGuid()).Distinct().Count() > 1);
        // Each counting grain asked the base table for its shard's latest version before writing.
        Assert.All(ads, ad => Assert.Contains(adx.Queries, q => q.Csl.Contains("max(Version)", StringComparison.Ordinal) && q.Parameter("adId") == $"guid({ad.Id:D})"));
    }

    [Fact]
    public async Task Clicks_CountedOnKusto_BreakdownRowsIngestedWithTheVersionOfTheirFlushsMinuteRows()
    {
        var adx = new ScriptedKustoCluster();
        await using var cluster = await DeployAsync(adx);
        var ad = (await cluster.Client.CreateAdsAsync(1))[0];
        var minute = MinuteBucket.Of(DateTimeOffset.UtcNow);

        await cluster.Client.PublishAsync(Clicks(ad, minute, 3).Select(c => c with { Device = "tablet", Country = "NL" }));
        var counted = (await LatestCountsAsync(adx, [ad], minute, _ => 3))[ad.Id].Row;
        var breakdowns = await Eventually.MatchesAsync(
            () => Task.FromResult(adx.Ingested.Where(b => b.Table == "AdHourBreakdowns").SelectMany(b => b.Rows)
                .Where(r => r.GetProperty("AdId").GetGuid() == ad.Id && r.GetProperty("Clicks").GetInt64() == 3).ToList()),
            rows => rows.Count == 4);

        Assert.Equal(
            [("browser", "unknown"), ("country", "NL"), ("device", "tablet"), ("os", "unknown")],
            breakdowns.Select(r => (r.GetProperty("Dimension").GetString(), r.GetProperty("Value").GetString())).Order());
        Assert.All(breakdowns, r => Assert.Equal(MinuteBucket.Truncate(minute, Granularity.Hour), r.GetProperty("Hour").GetDateTimeOffset()));
        Assert.Contains(breakdowns, r => r.GetProperty("Version").GetInt64() == counted.Version);
        Assert.Contains(adx.Queries, q => q.Csl.Contains("AdHourBreakdowns", StringComparison.Ordinal) && q.Csl.Contains("max(Version)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconciliation_OnKusto_ReadsTheLatestViewRepairsWithANewVersionAndExportsTheMismatch()
    {
        var adx = new ScriptedKustoCluster();
        await using var cluster = await DeployAsync(adx);
        var ad = (await cluster.Client.CreateAdsAsync(1))[0];
        var hour = MinuteBucket.Truncate(DateTimeOffset.UtcNow, Granularity.Hour).AddHours(-1);
        var minute = hour.AddMinutes(30);
        await cluster.Client.PublishAsync(Clicks(ad, minute, 5));
        var counted = (await LatestCountsAsync(adx, [ad], minute, _ => 5))[ad.Id].Row;

        // ADX answers the hour read with a stale count of 2 for that minute: the repair must write 5 above its version.
        adx.Answer = query => query.Csl.Contains("project AdId, Shard", StringComparison.Ordinal)
            && query.Parameters.EnumerateObject().Any(p => ad.Id.ToString("D").StartsWith(p.Value.GetString()!, StringComparison.Ordinal))
            ? ScriptedKustoCluster.Frames(ScriptedKustoCluster.HourColumns,
                [[ad.Id, 0, ad.CampaignId, ad.AdvertiserId, minute, 2L, 0L, counted.Version, 0L, 0L, 0L, 0L, 0L]])
            : null;
        var started = await cluster.Client.GetGrain<IReconciliationGrain>(0).RunNowAsync(hour);
        var report = await Eventually.MatchesAsync(
            async () => (await cluster.Client.GetGrain<IReconciliationRunGrain>(ReconciliationHour.Key(hour)).GetReportsAsync()).Single(r => r.RunId == started.RunId),
            r => r.CompletedAt is not null);

        Assert.Equal((ad.Id, minute, AdEventKind.Click, 5L, 2L), report.Mismatches.Select(m => (m.AdId, m.Minute, m.Kind, m.Expected, m.Found)).Single());
        Assert.Contains(adx.Queries, q => q.Csl.Contains("AdMinuteLatest", StringComparison.Ordinal) && q.Csl.Contains("project AdId, Shard", StringComparison.Ordinal));
        await Eventually.MatchesAsync(
            () => Task.FromResult(adx.MinuteRows.Where(r => r.Row.AdId == ad.Id && r.Row.Minute == minute && r.Row.Version > counted.Version).ToList()),
            repaired => repaired is [_, ..]);
        Assert.All(adx.MinuteRows.Where(r => r.Row.AdId == ad.Id && r.Row.Version > counted.Version), r => Assert.Equal(5, r.Row.Clicks));
        var exported = Assert.Single(adx.Ingested, b => b.Table == "ReconciliationMismatches").Rows.Single();
        Assert.Equal((started.RunId, ad.Id, "Click", 5L, 2L),
            (exported.GetProperty("RunId").GetGuid(), exported.GetProperty("AdId").GetGuid(), exported.GetProperty("Kind").GetString(),
             exported.GetProperty("Expected").GetInt64(), exported.GetProperty("Found").GetInt64()));
    }

    [Fact]
    public async Task Api_AnalyticsOnKusto_AClickReachesAdxAndTheAnswerIsTheClustersForTheCallersTenant()
    {
        var adx = new ScriptedKustoCluster();
        var settings = AdClicksApiFactory.SharedSecrets();
        settings["ConnectionStrings:Kusto"] = Connection;
        await using var api = new AdClicksApiFactory(_data.Path, settings: settings, services: services => UseScripted(services, adx)).Start();
        var scenario = new ApiScenario(api);
        var (advertiserId, advertiser) = await scenario.CreateAdvertiserAsync();
        var adId = await ApiScenario.CreateAdAsync(advertiser, await ApiScenario.CreateCampaignAsync(advertiser));

        Assert.Equal(HttpStatusCode.Redirect, (await scenario.ClickAsync(await ApiScenario.CreateImpressionAsync(advertiser, adId))).StatusCode);
        var row = await Eventually.MatchesAsync(
            () => Task.FromResult(adx.MinuteRows.LastOrDefault(r => r.Row.AdId == adId)),
            r => r is { Row.Clicks: 1 });
        adx.Answer = query => query.Csl.Contains("by Start", StringComparison.Ordinal)
            ? ScriptedKustoCluster.Frames(ScriptedKustoCluster.SeriesColumns, [[row!.Row.Minute, row.Row.Clicks, 4L, 0L, 2L, 0L, 0L, 0L]])
            : null;
        var from = Uri.EscapeDataString(row!.Row.Minute.AddMinutes(-5).ToString("O"));
        var to = Uri.EscapeDataString(row.Row.Minute.AddMinutes(5).ToString("O"));
        var answer = await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/analytics/ads/{adId}?from={from}&to={to}&granularity=minute", Cancel));

        var totals = answer.GetProperty("totals");
        Assert.Equal((1L, 4L, 0.25), (totals.GetProperty("clicks").GetInt64(), totals.GetProperty("impressions").GetInt64(), totals.GetProperty("ctr").GetDouble()));
        Assert.Equal((2L, 2L), (totals.GetProperty("invalidClicks").GetInt64(), totals.GetProperty("invalidClicksByReason").GetProperty("knownCrawler").GetInt64()));
        var series = adx.Queries.Last(q => q.Csl.Contains("by Start", StringComparison.Ordinal));
        Assert.Equal($"guid({advertiserId:D})", series.Parameter("tenantId"));
        Assert.Equal($"guid({adId:D})", series.Parameter("adId"));
    }

    [Fact]
    public async Task Api_AdxThrottlesPastItsRetries_503ProblemWithRetryAfterAndNoServerMessage()
    {
        var adx = new ScriptedKustoCluster();
        var settings = AdClicksApiFactory.SharedSecrets();
        settings["ConnectionStrings:Kusto"] = Connection;
        await using var api = new AdClicksApiFactory(_data.Path, settings: settings, services: services =>
        {
            UseScripted(services, adx);
            services.AddSingleton(sp => new KustoQueryClient(
                sp.GetRequiredKeyedService<HttpClient>(KustoAggregateStoreExtensions.HttpKey), sp.GetRequiredService<KustoConnection>(),
                new KustoClientOptions { MaxRetryAttempts = 1, RetryDelay = TimeSpan.FromMilliseconds(10) }));
        }).Start();
        var scenario = new ApiScenario(api);
        var (_, advertiser) = await scenario.CreateAdvertiserAsync();
        var adId = await ApiScenario.CreateAdAsync(advertiser, await ApiScenario.CreateCampaignAsync(advertiser));
        adx.Throttle = query => query.Csl.Contains("by Start", StringComparison.Ordinal);

        var response = await advertiser.GetAsync($"/api/analytics/ads/{adId}", Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("Analytics are unavailable", body, StringComparison.Ordinal);
        Assert.DoesNotContain("throttled", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, adx.Queries.Count(q => q.Csl.Contains("by Start", StringComparison.Ordinal)));
    }

    private async Task<InProcessTestCluster> DeployAsync(ScriptedKustoCluster adx) =>
        await AdClicksTestCluster.DeployAsync(
            new Dictionary<string, string?>
            {
                ["AdClicks:DataDirectory"] = _data.Path,
                ["ConnectionStrings:Kusto"] = Connection,
                ["AdClicks:Kusto:CommitInterval"] = "00:00:02",
            },
            silos: 1,
            configureSilo: silo => UseScripted(silo.Services, adx));

    // Registered after the app's own, so these win: the scripted cluster behind the real clients, and a credential without network.
    private static void UseScripted(IServiceCollection services, ScriptedKustoCluster adx)
    {
        services.AddKeyedSingleton<HttpMessageHandler>(KustoAggregateStoreExtensions.HttpKey, adx);
        services.AddSingleton(KustoConnection.Parse("ConnectionStrings:Kusto", Connection, () => new ScopeRecordingCredential()));
    }

    /// <summary>Waits until the latest ingested row of each ad's minute holds the expected clicks, failing on any above it.</summary>
    private static Task<Dictionary<Guid, IngestedMinuteRow>> LatestCountsAsync(ScriptedKustoCluster adx, IReadOnlyList<AdInfo> ads, DateTimeOffset minute, Func<AdInfo, long> expected) =>
        Eventually.MatchesAsync(
            () => Task.FromResult(adx.MinuteRows
                .Where(r => r.Row.Minute == minute)
                .GroupBy(r => r.Row.AdId)
                .ToDictionary(g => g.Key, g => g.MaxBy(r => r.Row.Version)!)),
            latest => ads.All(ad => latest.TryGetValue(ad.Id, out var row) && row.Row.Clicks == expected(ad)),
            TimeSpan.FromSeconds(30),
            eachSample: latest => Assert.All(ads, ad => Assert.True(!latest.TryGetValue(ad.Id, out var row) || row.Row.Clicks <= expected(ad), $"over-count for ad {ad.Id}")));

    private static List<AdEvent> Clicks(AdInfo ad, DateTimeOffset minute, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new AdEvent(
            AdEventKind.Click, Guid.NewGuid(), ad.Id, ad.CampaignId, minute.AddSeconds(i), minute.AddMinutes(-5), minute.AddHours(2), true, null, null))];

    private static string Messages(Exception error) =>
        string.Join(" | ", Flatten(error).Select(e => e.Message));

    private static IEnumerable<Exception> Flatten(Exception error) => error switch
    {
        AggregateException aggregate => [aggregate, .. aggregate.InnerExceptions.SelectMany(Flatten)],
        { InnerException: { } inner } => [error, .. Flatten(inner)],
        _ => [error],
    };
}
