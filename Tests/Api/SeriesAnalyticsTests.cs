using System.Net;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>
/// The series endpoints' additions: an advertiser's series over all its ads, compare=previous, asOf and partial buckets,
/// on ads, campaigns and advertisers alike.
/// </summary>
public sealed class SeriesAnalyticsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdvertiserSeries_AdsInTwoCampaigns_SummedOverEveryAd()
    {
        var (advertiserId, advertiser) = await Scenario.CreateAdvertiserAsync();
        var first = await ApiScenario.CreateAdAsync(advertiser, await ApiScenario.CreateCampaignAsync(advertiser, "First"));
        var second = await ApiScenario.CreateAdAsync(advertiser, await ApiScenario.CreateCampaignAsync(advertiser, "Second"));
        var (otherAdvertiser, _, otherAd) = await Scenario.CreateAdWithOwnerAsync();
        await ClickAsync(advertiser, first, 2);
        await ClickAsync(advertiser, second, 1);
        await ClickAsync(otherAdvertiser, otherAd, 4);
        await ApiScenario.WaitForTotalsAsync(advertiser, first, (2, 2));
        await ApiScenario.WaitForTotalsAsync(advertiser, second, (1, 1));
        await ApiScenario.WaitForTotalsAsync(otherAdvertiser, otherAd, (4, 4));

        var own = await advertiser.GetAsync($"/api/analytics/advertisers/{advertiserId}?granularity=day", Cancel);
        var admin = await ApiScenario.JsonAsync(await Scenario.Admin.GetAsync($"/api/analytics/advertisers/{advertiserId}?granularity=day", Cancel));

        var body = await ApiScenario.JsonAsync(own);
        var impressions = 3 + ApiScenario.MarkerViewsOf(first) + ApiScenario.MarkerViewsOf(second);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(advertiserId, body.GetProperty("advertiserId").GetGuid());
        Assert.False(body.TryGetProperty("adId", out _));
        Assert.False(body.TryGetProperty("campaignId", out _));
        Assert.Equal(3, body.GetProperty("totals").GetProperty("clicks").GetInt64());
        Assert.Equal(impressions, body.GetProperty("totals").GetProperty("impressions").GetInt64());
        Assert.Equal(3, body.GetProperty("series").EnumerateArray().Sum(p => p.GetProperty("clicks").GetInt64()));
        Assert.Equal(body.GetProperty("totals").ToString(), admin.GetProperty("totals").ToString());
    }

    [Fact]
    public async Task AdvertiserSeries_AnotherAdvertisersOrUnknownId_404EvenWithBadQuery()
    {
        var (advertiserId, _) = await Scenario.CreateAdvertiserAsync();
        var (_, other) = await Scenario.CreateAdvertiserAsync();

        var foreign = await other.GetAsync($"/api/analytics/advertisers/{advertiserId}", Cancel);
        var foreignBadQuery = await other.GetAsync($"/api/analytics/advertisers/{advertiserId}?granularity=week&compare=last-year", Cancel);
        var unknown = await Scenario.Admin.GetAsync($"/api/analytics/advertisers/{Guid.NewGuid()}", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignBadQuery.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("ads")]
    [InlineData("campaigns")]
    [InlineData("advertisers")]
    public async Task Series_CompareOtherThanPrevious_400NamesCompare(string kind)
    {
        var (client, path) = await SeriesPathAsync(kind);

        var response = await client.GetAsync($"{path}?compare=last-year", Cancel);

        var body = await ApiScenario.JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty("compare", out _), body.ToString());
    }

    [Theory]
    [InlineData("from=0001-01-01T00:00:00Z&to=0001-01-01T05:00:00Z&compare=previous", "from")]
    [InlineData("to=0001-01-01T01:00:00Z&granularity=day", "to")]
    [InlineData("from=9999-12-30T00:00:00Z&to=9999-12-31T23:59:59Z&granularity=day", "to")]
    public async Task AdvertiserSeries_TimesAtTheEdgesOfTheCalendar_400NotAnOverflow(string query, string field)
    {
        var (client, path) = await SeriesPathAsync("advertisers");

        var response = await client.GetAsync($"{path}?{query}", Cancel);

        var body = await ApiScenario.JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Theory]
    [InlineData("ads")]
    [InlineData("campaigns")]
    [InlineData("advertisers")]
    public async Task Series_ComparePrevious_PeriodAsLongEndingWhereThisStarts_SameBuckets(string kind)
    {
        var (client, path) = await SeriesPathAsync(kind);

        var body = await ApiScenario.JsonAsync(await client.GetAsync($"{path}?from=2026-11-28T10:00:00Z&to=2026-11-28T16:00:00Z&granularity=hour&compare=previous", Cancel));
        var without = await ApiScenario.JsonAsync(await client.GetAsync($"{path}?from=2026-11-28T10:00:00Z&to=2026-11-28T16:00:00Z&granularity=hour", Cancel));

        var previous = body.GetProperty("previous");
        var points = previous.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 4, 0, 0, TimeSpan.Zero), previous.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero), previous.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(body.GetProperty("series").GetArrayLength(), points.Count);
        Assert.Equal(Enumerable.Range(4, 6).Select(h => new DateTimeOffset(2026, 11, 28, h, 0, 0, TimeSpan.Zero)), points.Select(p => p.GetProperty("start").GetDateTimeOffset()));
        Assert.All(points, p => Assert.False(p.GetProperty("partial").GetBoolean()));
        Assert.Equal(0, previous.GetProperty("totals").GetProperty("clicks").GetInt64());
        Assert.False(without.TryGetProperty("previous", out _));
    }

    [Fact]
    public async Task AdSeries_ComparePrevious_TheMinutesClickedBeforeInPrevious()
    {
        var (advertiser, _, adId) = await Scenario.CreateAdWithOwnerAsync();
        await ClickAsync(advertiser, adId, 3);
        await ApiScenario.WaitForTotalsAsync(advertiser, adId, (3, 3));
        var hour = (await ApiScenario.JsonAsync(await advertiser.GetAsync($"/api/analytics/ads/{adId}?granularity=minute&to={Time(DateTimeOffset.UtcNow.AddMinutes(1))}", Cancel)))
            .GetProperty("series").EnumerateArray()
            .Select(p => (Start: p.GetProperty("start").GetDateTimeOffset(), Clicks: p.GetProperty("clicks").GetInt64(), Impressions: p.GetProperty("impressions").GetInt64()))
            .ToList();
        // The clicks may straddle a minute: the period asked for is as long as the clicked minutes and follows them.
        var first = hour.First(p => p.Clicks > 0).Start;
        var end = hour.Last(p => p.Clicks > 0).Start.AddMinutes(1);

        var next = await ApiScenario.JsonAsync(await advertiser.GetAsync(
            $"/api/analytics/ads/{adId}?granularity=minute&from={Time(end)}&to={Time(end + (end - first))}&compare=previous", Cancel));

        var previous = next.GetProperty("previous");
        var points = previous.GetProperty("series").EnumerateArray()
            .Select(p => (Start: p.GetProperty("start").GetDateTimeOffset(), Clicks: p.GetProperty("clicks").GetInt64(), Impressions: p.GetProperty("impressions").GetInt64()))
            .ToList();
        Assert.Equal(first, previous.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(end, previous.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(hour.Where(p => p.Start >= first && p.Start < end), points);
        Assert.Equal(3, previous.GetProperty("totals").GetProperty("clicks").GetInt64());
        Assert.Equal(points.Sum(p => p.Impressions), previous.GetProperty("totals").GetProperty("impressions").GetInt64());
        Assert.Equal(next.GetProperty("series").GetArrayLength(), points.Count);
    }

    [Theory]
    [InlineData("ads")]
    [InlineData("campaigns")]
    [InlineData("advertisers")]
    public async Task Series_UpToNow_AsOfTheReadTime_BucketsEndingAfterItPartial(string kind)
    {
        var (client, path) = await SeriesPathAsync(kind);
        var before = DateTimeOffset.UtcNow;

        var body = await ApiScenario.JsonAsync(await client.GetAsync($"{path}?granularity=minute&compare=previous", Cancel));

        var after = DateTimeOffset.UtcNow;
        var asOf = body.GetProperty("asOf").GetDateTimeOffset();
        Assert.InRange(asOf, before, after);
        Assert.Equal(TimeSpan.Zero, asOf.Offset);
        var points = body.GetProperty("series").EnumerateArray().ToList();
        Assert.All(points, p => Assert.Equal(p.GetProperty("start").GetDateTimeOffset().AddMinutes(1) > asOf, p.GetProperty("partial").GetBoolean()));
        // "to" defaults to now rounded up to the minute, so the last bucket is the one filling unless the minute ended meanwhile.
        Assert.Equal(body.GetProperty("to").GetDateTimeOffset() > asOf, points[^1].GetProperty("partial").GetBoolean());
        Assert.All(points.SkipLast(1), p => Assert.False(p.GetProperty("partial").GetBoolean()));
        Assert.All(body.GetProperty("previous").GetProperty("series").EnumerateArray(), p => Assert.False(p.GetProperty("partial").GetBoolean()));
    }

    private static string Time(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O"));

    /// <summary>Places the ad, views and clicks it, <paramref name="clicks"/> times.</summary>
    private async Task ClickAsync(HttpClient advertiser, Guid adId, int clicks)
    {
        for (var i = 0; i < clicks; i++)
        {
            var token = await ApiScenario.CreateImpressionAsync(advertiser, adId);
            Assert.Equal(HttpStatusCode.NoContent, (await Scenario.ViewAsync(token)).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await Scenario.ClickAsync(token)).StatusCode);
        }
    }

    /// <summary>A new advertiser's client and the path of its series of the kind: its ad, its campaign, or itself.</summary>
    private async Task<(HttpClient Client, string Path)> SeriesPathAsync(string kind)
    {
        var (advertiserId, advertiser) = await Scenario.CreateAdvertiserAsync();
        var campaignId = await ApiScenario.CreateCampaignAsync(advertiser);
        var adId = await ApiScenario.CreateAdAsync(advertiser, campaignId);
        return (advertiser, kind switch
        {
            "ads" => $"/api/analytics/ads/{adId}",
            "campaigns" => $"/api/analytics/campaigns/{campaignId}",
            _ => $"/api/analytics/advertisers/{advertiserId}",
        });
    }
}
