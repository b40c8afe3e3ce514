using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Aggregates.Queries;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Storage.Aggregates;

/// <summary>
/// The query model on DuckDB against a plain C# oracle over the same writes: several advertisers, campaigns and
/// ads, hot ads with several shards, minutes across a day boundary written late (after later minutes), superseded
/// versions (only each row's highest counts) and stale lower versions written after higher ones.
/// </summary>
public sealed class AggregateQueryOracleTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 21, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddHours(5);

    private readonly TempDirectory _directory = new();
    private readonly List<MinuteCountRow> _written = [];
    private readonly List<(Guid Advertiser, Guid Campaign, Guid Ad, int Shards)> _ads = [];
    private DuckDbAggregateStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IEnumerable<AnalyticsTenant> Tenants =>
        [AnalyticsTenant.All, .. _ads.Select(a => a.Advertiser).Distinct().Select(AnalyticsTenant.Advertiser)];

    public async ValueTask InitializeAsync()
    {
        _store = DuckDbAggregateStore.Open(Path.Combine(_directory.Path, "aggregates.duckdb"), NullLogger<DuckDbAggregateStore>.Instance);
        var random = new Random(11);
        for (var advertiser = 0; advertiser < 3; advertiser++)
        {
            var advertiserId = Guid.NewGuid();
            for (var campaign = 0; campaign < 2; campaign++)
            {
                var campaignId = Guid.NewGuid();
                for (var ad = 0; ad < 3; ad++)
                {
                    _ads.Add((advertiserId, campaignId, Guid.NewGuid(), ad == 0 ? 3 : 1));
                }
            }
        }

        // Counts are small, so top ads often tie on clicks and on impressions and the ad id decides.
        MinuteCountRow Row(int minute, (Guid Advertiser, Guid Campaign, Guid Ad, int Shards) ad, int shard, long version) =>
            new(ad.Ad, shard, ad.Campaign, ad.Advertiser, Start.AddMinutes(minute), random.Next(0, 4), random.Next(0, 6), version, RandomInvalid(random));

        var minutes = (int)(End - Start).TotalMinutes;
        var first = new List<MinuteCountRow>();
        var late = new List<MinuteCountRow>();
        foreach (var ad in _ads)
        {
            for (var shard = 0; shard < ad.Shards; shard++)
            {
                foreach (var minute in Enumerable.Range(0, minutes).Where(_ => random.NextDouble() < 0.15))
                {
                    (minute < minutes / 2 && random.NextDouble() < 0.3 ? late : first).Add(Row(minute, ad, shard, version: 100 + minute));
                }
            }
        }

        await WriteAsync(first);
        await WriteAsync(late);

        // Superseded: a higher version replaces a row; stale: a lower version of a row written after a higher one.
        var superseding = first.Concat(late).Where(_ => random.NextDouble() < 0.3)
            .Select(r => r with { Clicks = random.Next(0, 4), Impressions = random.Next(0, 6), Version = r.Version + 1_000, InvalidClicks = RandomInvalid(random) }).ToList();
        await WriteAsync(superseding);
        await WriteAsync([.. superseding.Where(_ => random.NextDouble() < 0.5).Select(r => r with { Clicks = 99, Impressions = 99, Version = r.Version - 500, InvalidClicks = new(99, 99, 99, 99, 99) })]);
        Assert.NotEmpty(late);
        Assert.NotEmpty(superseding);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Series_EveryAdCampaignAndAdvertiser_EveryGranularity_EveryTenant_AsTheOracle()
    {
        var compared = 0;
        foreach (var tenant in Tenants)
        {
            foreach (var granularity in Enum.GetValues<Granularity>())
            {
                var scopes = _ads.Select(a => SeriesScope.Ad(a.Ad))
                    .Concat(_ads.Select(a => a.Campaign).Distinct().Select(SeriesScope.Campaign))
                    .Concat(_ads.Select(a => a.Advertiser).Distinct().Select(SeriesScope.Advertiser));
                foreach (var scope in scopes)
                {
                    var from = Start.AddMinutes(7);
                    var actual = await _store.QuerySeriesAsync(tenant, scope, from, End, granularity, Ct);

                    var expected = Latest(tenant)
                        .Where(r => (scope.AdId is null || r.AdId == scope.AdId) && (scope.CampaignId is null || r.CampaignId == scope.CampaignId))
                        .Where(r => scope.AdvertiserId is null || r.AdvertiserId == scope.AdvertiserId)
                        .Where(r => r.Minute >= from && r.Minute < End)
                        .GroupBy(r => MinuteBucket.Truncate(r.Minute, granularity))
                        .OrderBy(g => g.Key)
                        .Select(g => new BucketCount(g.Key, g.Sum(r => r.Clicks), g.Sum(r => r.Impressions), InvalidClickCounts.Sum(g.Select(r => r.InvalidClicks))));
                    Assert.Equal(expected, actual);
                    compared += actual.Count;
                }
            }
        }

        Assert.True(compared > 100, $"only {compared} buckets compared");
    }

    [Fact]
    public async Task TopAds_WithAndWithoutCampaignAndAdvertiser_EverySort_EveryTenant_AsTheOracle()
    {
        var compared = 0;
        Guid?[] campaigns = [null, .. _ads.Select(a => (Guid?)a.Campaign).Distinct()];
        Guid?[] advertisers = [null, _ads[0].Advertiser];
        foreach (var tenant in Tenants)
        {
            foreach (var query in from campaign in campaigns from advertiser in advertisers from limit in new[] { 3, 100 } from sort in Enum.GetValues<TopAdsSort>()
                                  select new TopAdsQuery(Start.AddHours(1), End, limit, campaign, advertiser, sort))
            {
                var actual = await _store.QueryTopAdsAsync(tenant, query, Ct);

                var totals = Latest(tenant)
                    .Where(r => r.Minute >= query.From && r.Minute < query.To)
                    .Where(r => (query.CampaignId is null || r.CampaignId == query.CampaignId) && (query.AdvertiserId is null || r.AdvertiserId == query.AdvertiserId))
                    .GroupBy(r => (r.AdId, r.CampaignId))
                    .Select(g => new AdTotal(g.Key.AdId, g.Key.CampaignId, g.Sum(r => r.Clicks), g.Sum(r => r.Impressions), InvalidClickCounts.Sum(g.Select(r => r.InvalidClicks))));
                var expected = (query.Sort switch
                    {
                        TopAdsSort.Impressions => totals.OrderByDescending(a => a.Impressions).ThenByDescending(a => a.Clicks),
                        TopAdsSort.Ctr => totals.OrderByDescending(a => a.Impressions == 0 ? 0 : (double)a.Clicks / a.Impressions).ThenByDescending(a => a.Clicks).ThenByDescending(a => a.Impressions),
                        _ => totals.OrderByDescending(a => a.Clicks).ThenByDescending(a => a.Impressions),
                    })
                    .ThenBy(a => a.AdId.ToString(), StringComparer.Ordinal)
                    .Take(query.Limit);
                Assert.Equal(expected, actual);
                compared += actual.Count;
            }
        }

        Assert.True(compared > 100, $"only {compared} ads compared");
    }

    /// <summary>Ranges that start and end inside an hour, inside one hour, across one boundary, and on whole hours: the rollup's edges.</summary>
    public static TheoryData<int, int> MidHourRanges => new()
    {
        { 7, 300 - 13 },
        { 90, 105 },
        { 59, 121 },
        { 60, 240 },
        { 0, 300 },
    };

    [Theory]
    [MemberData(nameof(MidHourRanges))]
    public async Task SeriesAndTopAds_RangesStartingAndEndingMidHour_AsTheOracle(int fromMinute, int toMinute)
    {
        var (from, to) = (Start.AddMinutes(fromMinute), Start.AddMinutes(toMinute));
        var compared = 0;
        foreach (var tenant in Tenants)
        {
            foreach (var granularity in Enum.GetValues<Granularity>())
            {
                foreach (var scope in _ads.Select(a => a.Campaign).Distinct().Select(SeriesScope.Campaign).Append(SeriesScope.Advertiser(_ads[0].Advertiser)).Append(SeriesScope.Ad(_ads[0].Ad)))
                {
                    var actual = await _store.QuerySeriesAsync(tenant, scope, from, to, granularity, Ct);

                    var expected = Latest(tenant)
                        .Where(r => (scope.AdId is null || r.AdId == scope.AdId) && (scope.CampaignId is null || r.CampaignId == scope.CampaignId))
                        .Where(r => (scope.AdvertiserId is null || r.AdvertiserId == scope.AdvertiserId) && r.Minute >= from && r.Minute < to)
                        .GroupBy(r => MinuteBucket.Truncate(r.Minute, granularity))
                        .OrderBy(g => g.Key)
                        .Select(g => new BucketCount(g.Key, g.Sum(r => r.Clicks), g.Sum(r => r.Impressions), InvalidClickCounts.Sum(g.Select(r => r.InvalidClicks))));
                    Assert.Equal(expected, actual);
                    compared += actual.Count;
                }
            }

            var top = await _store.QueryTopAdsAsync(tenant, new TopAdsQuery(from, to, 100, null, null), Ct);

            var totals = Latest(tenant).Where(r => r.Minute >= from && r.Minute < to)
                .GroupBy(r => (r.AdId, r.CampaignId))
                .Select(g => new AdTotal(g.Key.AdId, g.Key.CampaignId, g.Sum(r => r.Clicks), g.Sum(r => r.Impressions), InvalidClickCounts.Sum(g.Select(r => r.InvalidClicks))))
                .OrderByDescending(a => a.Clicks).ThenByDescending(a => a.Impressions).ThenBy(a => a.AdId.ToString(), StringComparer.Ordinal);
            Assert.Equal(totals, top);
            compared += top.Count;
        }

        Assert.True(compared > 20, $"only {compared} buckets and ads compared");
    }

    [Fact]
    public async Task Hour_EverySliceOfEveryHour_AsTheOracle()
    {
        var slices = _ads.Select(a => AdSlice.Of(a.Ad)).Append(Enumerable.Range(0, AdSlice.Count).First(s => _ads.All(a => AdSlice.Of(a.Ad) != s))).Distinct();
        var compared = 0;
        for (var hour = Start; hour < End; hour = hour.AddHours(1))
        {
            foreach (var slice in slices)
            {
                var actual = await _store.ReadHourAsync(hour, slice, Ct);

                var expected = Latest(AnalyticsTenant.All)
                    .Where(r => r.Minute >= hour && r.Minute < hour.AddHours(1) && AdSlice.Of(r.AdId) == slice)
                    .OrderBy(r => r.AdId.ToString(), StringComparer.Ordinal).ThenBy(r => r.Shard).ThenBy(r => r.Minute);
                Assert.Equal(expected, actual);
                compared += actual.Count;
            }
        }

        Assert.True(compared > 100, $"only {compared} rows compared");
    }

    [Fact]
    public async Task HourPieces_InOrder_AreTheSlicesHour()
    {
        var slices = _ads.Select(a => AdSlice.Of(a.Ad)).Distinct().ToList();
        var compared = 0;
        for (var hour = Start; hour < End; hour = hour.AddHours(1))
        {
            foreach (var slice in slices)
            {
                var pieces = new List<MinuteCountRow>();
                for (var piece = 0; piece < AggregateQuery.HourPieces; piece++)
                {
                    pieces.AddRange(await _store.ReadRowsAsync(AggregateQuery.HourPiece(hour, slice, piece), Ct));
                }

                var whole = await _store.ReadHourAsync(hour, slice, Ct);
                Assert.Equal(whole, pieces);
                compared += pieces.Count;
            }
        }

        Assert.True(compared > 100, $"only {compared} rows compared");
    }

    [Fact]
    public async Task LatestVersion_EveryShard_TheHighestEverWritten()
    {
        foreach (var ad in _ads)
        {
            for (var shard = 0; shard <= ad.Shards; shard++)
            {
                var actual = await _store.ReadLatestVersionAsync(new AdKey(ad.Ad, shard), Ct);

                var versions = _written.Where(r => r.AdId == ad.Ad && r.Shard == shard).Select(r => (long?)r.Version).ToList();
                Assert.Equal(versions.Count == 0 ? null : versions.Max(), actual);
            }
        }
    }

    /// <summary>The oracle: each row's highest version, of the tenant's advertiser when it has one.</summary>
    private IEnumerable<MinuteCountRow> Latest(AnalyticsTenant tenant) =>
        _written.GroupBy(r => (r.AdId, r.Shard, r.Minute))
            .Select(g => g.MaxBy(r => r.Version))
            .Where(r => tenant.AdvertiserId is null || r.AdvertiserId == tenant.AdvertiserId);

    private async Task WriteAsync(List<MinuteCountRow> rows)
    {
        await _store.WriteAsync(rows, Ct);
        _written.AddRange(rows);
    }

    // Mostly zeros, as invalid clicks are rare, so sums over reasons are exercised without dominating.
    private static InvalidClickCounts RandomInvalid(Random random) => random.NextDouble() < 0.6
        ? default
        : new(random.Next(0, 3), random.Next(0, 3), random.Next(0, 2), random.Next(0, 2), random.Next(0, 2));
}
