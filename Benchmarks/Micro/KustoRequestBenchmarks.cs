using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Azure.Core;
using BenchmarkDotNet.Attributes;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates.Queries;
using Orleans.AdClicks.Storage.Kusto;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Benchmarks.Micro;

/// <summary>
/// The client-side cost of an analytics read on Azure Data Explorer: rendering the query model to KQL and writing the
/// request body, and reading a v2 response in the recorded frames' shape into results: a day's minute series (1,440
/// rows) and top ads (100 rows). Responses come from an in-memory handler, so the parse includes the client's own
/// request, retry pipeline and frame checks, and no network.
/// </summary>
[MemoryDiagnoser]
public class KustoRequestBenchmarks
{
    private static readonly DateTimeOffset Day = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly AnalyticsTenant Tenant = AnalyticsTenant.Advertiser(Guid.NewGuid());
    private static readonly KustoQueryOptions Limits = new();

    private readonly Guid _ad = Guid.NewGuid();
    private KustoAggregateQueries _series = null!;
    private KustoAggregateQueries _topAds = null!;

    [GlobalSetup]
    public void Setup()
    {
        _series = Queries(Frames("""{"ColumnName":"Start","ColumnType":"datetime"},{"ColumnName":"Clicks","ColumnType":"long"},{"ColumnName":"Impressions","ColumnType":"long"}""",
            Enumerable.Range(0, 1440).Select(m => FormattableString.Invariant($"[\"{Day.AddMinutes(m):yyyy-MM-ddTHH:mm:ssZ}\",{m % 17},{m * 31}]"))));
        _topAds = Queries(Frames("""{"ColumnName":"AdId","ColumnType":"guid"},{"ColumnName":"CampaignId","ColumnType":"guid"},{"ColumnName":"Clicks","ColumnType":"long"},{"ColumnName":"Impressions","ColumnType":"long"}""",
            Enumerable.Range(0, 100).Select(i => FormattableString.Invariant($"[\"{Guid.NewGuid():D}\",\"{Guid.NewGuid():D}\",{10_000 - i},{i * 1_000}]"))));
    }

    [Benchmark]
    public byte[] SeriesBody()
    {
        var (kql, parameters) = KqlRenderer.Render(AggregateQuery.Series(Tenant, SeriesScope.Ad(_ad), Day, Day.AddDays(1), Granularity.Minute));
        return KustoQueryClient.Body("adclicks", kql, parameters, Limits);
    }

    [Benchmark]
    public byte[] TopAdsBody()
    {
        var (kql, parameters) = KqlRenderer.Render(AggregateQuery.TopAds(Tenant, new TopAdsQuery(Day, Day.AddDays(1), 100, Guid.NewGuid(), null)));
        return KustoQueryClient.Body("adclicks", kql, parameters, Limits);
    }

    [Benchmark]
    public Task<IReadOnlyList<BucketCount>> ParseDayOfMinutes() =>
        _series.QuerySeriesAsync(Tenant, SeriesScope.Ad(_ad), Day, Day.AddDays(1), Granularity.Minute);

    [Benchmark]
    public Task<IReadOnlyList<AdTotal>> ParseTopAds() =>
        _topAds.QueryTopAdsAsync(Tenant, new TopAdsQuery(Day, Day.AddDays(1), 100, null, null));

    private static byte[] Frames(string columns, IEnumerable<string> rows) => Encoding.UTF8.GetBytes(
        "[{\"FrameType\":\"DataSetHeader\",\"IsProgressive\":false,\"Version\":\"v2.0\",\"IsFragmented\":false,\"ErrorReportingPlacement\":\"EndOfTable\"},"
        + "{\"FrameType\":\"DataTable\",\"TableId\":1,\"TableKind\":\"PrimaryResult\",\"TableName\":\"PrimaryResult\",\"Columns\":[" + columns + "],\"Rows\":["
        + string.Join(",", rows) + "]},{\"FrameType\":\"DataSetCompletion\",\"HasErrors\":false,\"Cancelled\":false}]");

    private static KustoAggregateQueries Queries(byte[] response)
    {
        var connection = KustoConnection.Parse("ConnectionStrings:Kusto", "Data Source=https://adclicks.westeurope.kusto.windows.net;Initial Catalog=adclicks", () => new FixedToken());
        return new KustoAggregateQueries(new KustoQueryClient(new HttpClient(new Recorded(response)), connection), connection.Database);
    }

    private sealed class Recorded(byte[] response) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new ByteArrayContent(response) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            });
    }

    private sealed class FixedToken : TokenCredential
    {
        private static readonly AccessToken Token = new("benchmark", DateTimeOffset.MaxValue);

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => Token;

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(Token);
    }
}
