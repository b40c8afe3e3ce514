using System.Net;
using System.Text.Json;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Kusto;
using Orleans.AdClicks.Storage.Kusto.Client;
using Orleans.AdClicks.Tests.Kusto.Client;

namespace Orleans.AdClicks.Tests.Kusto;

/// <summary>KustoAggregateQueries reading recorded v2 responses (Tests/Kusto/Frames/aggregates-*.json and the client's error frames).</summary>
[Trait("Category", "Kusto")]
public sealed class KustoAggregateQueriesTests
{
    private static readonly Guid Ad = AggregateQueryCatalog.Ad;
    private static readonly Guid Campaign = AggregateQueryCatalog.Campaign;
    private static readonly Guid Advertiser = AggregateQueryCatalog.Advertiser;
    private static readonly DateTimeOffset From = AggregateQueryCatalog.From;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static (KustoAggregateQueries Queries, RecordingKustoHandler Handler) Create(params (HttpStatusCode, string)[] responses)
    {
        var handler = new RecordingKustoHandler(responses);
        var connection = KustoConnection.Parse("ConnectionStrings:Kusto", "Data Source=https://adclicks.westeurope.kusto.windows.net;Initial Catalog=adclicks", () => new ScopeRecordingCredential());
        var client = new KustoQueryClient(new HttpClient(handler), connection, new KustoClientOptions { RetryDelay = TimeSpan.Zero, MaxRetryAttempts = 3 });
        return (new KustoAggregateQueries(client, connection.Database), handler);
    }

    [Fact]
    public async Task Series_RecordedFrames_BucketsByColumnName_NullCountsZero()
    {
        var (queries, _) = Create((HttpStatusCode.OK, "aggregates-series.json"));

        var series = await queries.QuerySeriesAsync(AnalyticsTenant.Advertiser(Advertiser), SeriesScope.Ad(Ad), From, From.AddHours(4), Granularity.Hour, Ct);

        Assert.Equal(
        [
            new BucketCount(From, 42, 1000, new InvalidClickCounts(1, 2, 3, 4, 5)),
            new BucketCount(From.AddHours(1), 7, 0),
            new BucketCount(From.AddHours(3), 0, 9_000_000_000, new InvalidClickCounts(0, 0, 0, 0, 7)),
        ], series);
        Assert.All(series, b => Assert.Equal(TimeSpan.Zero, b.Start.Offset));
    }

    [Fact]
    public async Task TopAds_RecordedFrames_MissingCampaignIsEmpty()
    {
        var (queries, _) = Create((HttpStatusCode.OK, "aggregates-top-ads.json"));

        var top = await queries.QueryTopAdsAsync(AnalyticsTenant.All, new TopAdsQuery(From, From.AddDays(1), 10, null, null), Ct);

        Assert.Equal(
        [
            new AdTotal(Ad, Campaign, 120, 4000, new InvalidClickCounts(0, 6, 0, 2, 0)),
            new AdTotal(Guid.Parse("1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f"), Guid.Empty, 3, 0),
        ], top);
    }

    [Fact]
    public async Task TopAdsByCtr_RecordedFramesWithTheCtrColumn_RowsInTheServersOrder()
    {
        var (queries, handler) = Create((HttpStatusCode.OK, "aggregates-top-ads-ctr.json"));

        var top = await queries.QueryTopAdsAsync(AnalyticsTenant.All, new TopAdsQuery(From, From.AddDays(1), 10, null, Advertiser, TopAdsSort.Ctr), Ct);

        var third = Guid.Parse("2e3f4051-6b7c-4d8e-9fa0-1b2c3d4e5f60");
        Assert.Equal(
        [
            new AdTotal(Guid.Parse("1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f"), Campaign, 3, 4),
            new AdTotal(Ad, Campaign, 120, 4000),
            new AdTotal(third, Campaign, 0, 0, new InvalidClickCounts(0, 0, 9, 0, 0)),
        ], top);
        Assert.Contains("| order by Ctr desc, Clicks desc, Impressions desc", JsonDocument.Parse(Assert.Single(handler.Requests).Body).RootElement.GetProperty("csl").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdvertiserSeries_RecordedFrames_Buckets()
    {
        var (queries, handler) = Create((HttpStatusCode.OK, "aggregates-series.json"));

        var series = await queries.QuerySeriesAsync(AnalyticsTenant.All, SeriesScope.Advertiser(Advertiser), From, From.AddHours(4), Granularity.Hour, Ct);

        Assert.Equal([From, From.AddHours(1), From.AddHours(3)], series.Select(b => b.Start));
        var parameters = JsonDocument.Parse(Assert.Single(handler.Requests).Body).RootElement.GetProperty("properties").GetProperty("Parameters");
        Assert.Equal($"guid({Advertiser:D})", parameters.GetProperty("advertiserId").GetString());
    }

    [Fact]
    public async Task Hour_RecordedFrames_SixteenPiecesByTheNextHexDigit_RowsMergedInOrder_EveryColumn()
    {
        // Ad is 6f1…: piece 1 answers its rows, piece e another ad's, the others nothing.
        var other = Guid.Parse("6fe04d2a-9b1c-4e5f-8a7b-c3d2e1f0a9b8");
        var (queries, handler) = Create(
        [
            (HttpStatusCode.OK, "aggregates-hour-empty.json"), (HttpStatusCode.OK, "aggregates-hour.json"),
            .. Enumerable.Repeat((HttpStatusCode.OK, "aggregates-hour-empty.json"), 12),
            (HttpStatusCode.OK, "aggregates-hour-6fe.json"), (HttpStatusCode.OK, "aggregates-hour-empty.json"),
        ]);

        var rows = await queries.ReadHourAsync(From, AdSlice.Of(Ad), Ct);

        Assert.Equal(
            Enumerable.Range(0, 16).Select(piece => "6f" + piece.ToString("x", System.Globalization.CultureInfo.InvariantCulture)),
            handler.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("properties").GetProperty("Parameters").GetProperty("adIdPrefix").GetString()));
        Assert.Equal(
        [
            new MinuteCountRow(Ad, 0, Campaign, Advertiser, From, 5, 50, 639028800000000000, new InvalidClickCounts(1, 0, 0, 0, 0)),
            new MinuteCountRow(Ad, 3, Campaign, Advertiser, From.AddMinutes(59), 0, 12, 639028800000000001),
            new MinuteCountRow(other, 0, Campaign, Advertiser, From, 5, 50, 639028800000000007),
            new MinuteCountRow(other, 3, Campaign, Advertiser, From.AddMinutes(59), 0, 12, 639028800000000008, new InvalidClickCounts(0, 0, 0, 0, 3)),
        ], rows);
    }

    [Fact]
    public async Task Hour_EveryPiece_UnderItsOwnRowCap()
    {
        var (queries, handler) = Create((HttpStatusCode.OK, "aggregates-hour-empty.json"));

        await queries.ReadHourAsync(From, AdSlice.Of(Ad), Ct);

        Assert.Equal(16, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal(
            new KustoAggregateQueriesOptions().HourRead.MaxRecords,
            JsonDocument.Parse(r.Body).RootElement.GetProperty("properties").GetProperty("Options").GetProperty("truncationmaxrecords").GetInt64()));
    }

    [Fact]
    public async Task LatestVersion_RecordedFrames_TheMax()
    {
        var (queries, _) = Create((HttpStatusCode.OK, "aggregates-latest-version.json"));

        Assert.Equal(639028800000000001, await queries.ReadLatestVersionAsync(new AdKey(Ad, 3), Ct));
    }

    [Fact]
    public async Task LatestVersion_MaxOfNoRowsIsNull_Null()
    {
        var (queries, _) = Create((HttpStatusCode.OK, "aggregates-latest-version-none.json"));

        Assert.Null(await queries.ReadLatestVersionAsync(new AdKey(Ad, 3), Ct));
    }

    [Fact]
    public async Task Series_RowWithoutStart_KustoExceptionNotABucketAtMinValue()
    {
        var (queries, _) = Create((HttpStatusCode.OK, "aggregates-series-no-start.json"));

        var error = await Assert.ThrowsAsync<KustoException>(() => queries.QuerySeriesAsync(AnalyticsTenant.All, SeriesScope.Ad(Ad), From, From.AddHours(1), Granularity.Hour, Ct));

        Assert.Contains("Start", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("partial-failure.json", "E_QUERY_RESULT_SET_TOO_LARGE")]
    [InlineData("has-errors.json", "")]
    [InlineData("error-row.json", "exceed the set limit of 500000 records")]
    public async Task Hour_PartialFailureInA200_KustoExceptionWithTheServersMessage_NotPartOfTheHour(string frames, string message)
    {
        var (queries, handler) = Create((HttpStatusCode.OK, frames));

        var error = await Assert.ThrowsAsync<KustoException>(() => queries.ReadHourAsync(From, AdSlice.Of(Ad), Ct));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task TopAds_ErrorFrame_KustoExceptionNotRetried()
    {
        var (queries, handler) = Create((HttpStatusCode.BadRequest, "bad-request.json"), (HttpStatusCode.OK, "aggregates-top-ads.json"));

        var error = await Assert.ThrowsAsync<KustoException>(() => queries.QueryTopAdsAsync(AnalyticsTenant.All, new TopAdsQuery(From, From.AddDays(1), 10, null, null), Ct));

        Assert.Equal("General_BadRequest", error.Code);
        Assert.Contains("SYN0002", error.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Series_ThrottledThenAnswered_RetriedSameBody_Result()
    {
        var (queries, handler) = Create((HttpStatusCode.TooManyRequests, "throttled.json"), (HttpStatusCode.OK, "aggregates-series.json"));

        var series = await queries.QuerySeriesAsync(AnalyticsTenant.All, SeriesScope.Campaign(Campaign), From, From.AddDays(1), Granularity.Hour, Ct);

        Assert.Equal(3, series.Count);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(handler.Requests[0].Body, handler.Requests[1].Body);
    }
}
