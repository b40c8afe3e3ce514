using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Tests.Kusto.Client;

namespace Orleans.AdClicks.Tests.Kusto;

/// <summary>
/// The request KustoAggregateQueries sends for each query kind (path, the headers that matter, body with the declared
/// parameters, options and parameter values), compared byte for byte with Tests/Kusto/Requests/&lt;kind&gt;.json.
/// The request id and token are normalised. After an intended change, regenerate the files with
/// <c>ADCLICKS_UPDATE_GOLDEN=1 dotnet test --project Tests -- --filter-class "*KustoAggregateRequestTests"</c> and review the diff.
/// </summary>
[Trait("Category", "Kusto")]
public sealed class KustoAggregateRequestTests
{
    private const string UpdateVariable = "ADCLICKS_UPDATE_GOLDEN";
    private const string ClientName = "Orleans.AdClicks";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Guid Ad = AggregateQueryCatalog.Ad;
    private static readonly DateTimeOffset From = AggregateQueryCatalog.From;
    private static readonly AnalyticsTenant Tenant = AggregateQueryCatalog.All().First(q => q.Query.Tenant.AdvertiserId is not null).Query.Tenant;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Kinds() => ["series-ad", "series-campaign", "series-advertiser", "top-ads", "top-ads-campaign", "top-ads-impressions", "top-ads-ctr", "hour", "latest-version"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Request_MatchesGoldenFile(string kind)
    {
        var (queries, handler) = KustoAggregateQueriesTests.Create((HttpStatusCode.OK, Frames(kind)));

        await SendAsync(queries, kind);

        // The hour is read in 16 pieces that differ only in the prefix (KustoAggregateQueriesTests): the file holds the first.
        Assert.Equal(kind == "hour" ? 16 : 1, handler.Requests.Count);
        var actual = Normalised(handler.Requests[0]);
        var path = Path.Combine(RequestsDirectory(), kind + ".json");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, actual, Ct);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the tests once with {UpdateVariable}=1 to write it.");
        Assert.Equal(await File.ReadAllTextAsync(path, Ct), actual);
    }

    private static Task SendAsync(IAggregateQueries queries, string kind) => kind switch
    {
        "series-ad" => queries.QuerySeriesAsync(Tenant, SeriesScope.Ad(Ad), From, From.AddHours(4), Granularity.Hour, Ct),
        "series-campaign" => queries.QuerySeriesAsync(AnalyticsTenant.All, SeriesScope.Campaign(AggregateQueryCatalog.Campaign), From, From.AddDays(7), Granularity.Day, Ct),
        "series-advertiser" => queries.QuerySeriesAsync(Tenant, SeriesScope.Advertiser(AggregateQueryCatalog.Advertiser), From, From.AddHours(2), Granularity.Minute, Ct),
        "top-ads" => queries.QueryTopAdsAsync(Tenant, new TopAdsQuery(From, From.AddDays(1), 10, null, null), Ct),
        "top-ads-campaign" => queries.QueryTopAdsAsync(Tenant, new TopAdsQuery(From, From.AddDays(1), 100, AggregateQueryCatalog.Campaign, null), Ct),
        "top-ads-impressions" => queries.QueryTopAdsAsync(Tenant, new TopAdsQuery(From, From.AddDays(1), 10, null, null, TopAdsSort.Impressions), Ct),
        "top-ads-ctr" => queries.QueryTopAdsAsync(AnalyticsTenant.All, new TopAdsQuery(From, From.AddDays(1), 10, null, AggregateQueryCatalog.Advertiser, TopAdsSort.Ctr), Ct),
        "hour" => queries.ReadHourAsync(From, AdSlice.Of(Ad), Ct),
        _ => queries.ReadLatestVersionAsync(new AdKey(Ad, 3), Ct),
    };

    private static string Frames(string kind) => kind switch
    {
        "series-ad" or "series-campaign" or "series-advertiser" => "aggregates-series.json",
        "top-ads" or "top-ads-campaign" or "top-ads-impressions" => "aggregates-top-ads.json",
        "top-ads-ctr" => "aggregates-top-ads-ctr.json",
        "hour" => "aggregates-hour.json",
        _ => "aggregates-latest-version.json",
    };

    private static string Normalised(RecordedRequest request)
    {
        var requestId = Assert.Single(request.Headers.GetValues("x-ms-client-request-id"));
        Assert.StartsWith(ClientName + ";", requestId, StringComparison.Ordinal);
        Assert.True(Guid.TryParse(requestId[(ClientName.Length + 1)..], out _), requestId);
        Assert.Equal($"Bearer {ScopeRecordingCredential.Token}", request.Headers.Authorization!.ToString());

        var golden = new JsonObject
        {
            ["method"] = request.Method.Method,
            ["path"] = request.Uri.AbsolutePath,
            ["headers"] = new JsonObject
            {
                ["Accept"] = request.Headers.Accept.ToString(),
                ["Authorization"] = "Bearer <token>",
                ["Content-Type"] = request.ContentType!.ToString(),
                ["x-ms-app"] = Assert.Single(request.Headers.GetValues("x-ms-app")),
                ["x-ms-client-request-id"] = ClientName + ";<request-id>",
                ["x-ms-client-version"] = Assert.Single(request.Headers.GetValues("x-ms-client-version")),
            },
            ["body"] = JsonNode.Parse(request.Body),
        };
        return golden.ToJsonString(Indented) + "\n";
    }

    // The source folder, not the build output, so a regenerated file lands where git sees it.
    private static string RequestsDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Orleans.AdClicks.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("Orleans.AdClicks.sln not found above the test folder."), "Tests", "Kusto", "Requests");
    }
}
