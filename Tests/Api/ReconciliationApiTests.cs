using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

public sealed class ReconciliationApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiScenario Scenario => fixture.Scenario;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_RawEventsNeverCounted_AdminSeesEveryLineAndEachAdvertiserItsOwn()
    {
        var hour = MinuteBucket.Truncate(DateTimeOffset.UtcNow, Granularity.Hour).AddHours(-2);
        var (mine, myCampaign, myAd) = await Scenario.CreateAdWithOwnerAsync();
        var (_, _, theirAd) = await Scenario.CreateAdWithOwnerAsync();
        await AppendUncountedClicksAsync(myCampaign, myAd, hour.AddMinutes(7), clicks: 3);
        await AppendUncountedClicksAsync(Guid.NewGuid(), theirAd, hour.AddMinutes(8), clicks: 2);

        var started = await Scenario.Admin.PostAsync($"/api/reconciliation/runs?hour={Iso(hour)}", null, Cancel);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal($"/api/reconciliation/reports?from={hour:yyyy-MM-ddTHH}:00:00Z&to={hour.AddHours(1):yyyy-MM-ddTHH}:00:00Z", started.Headers.Location!.ToString());
        var runId = (await ApiScenario.JsonAsync(started)).GetProperty("runId").GetGuid();
        var report = await Eventually.MatchesAsync(
            async () => (await ReportsAsync(Scenario.Admin, started.Headers.Location!.ToString())).Single(r => r.GetProperty("runId").GetGuid() == runId),
            r => r.GetProperty("status").GetString() == "completed");
        Assert.Equal(2, report.GetProperty("adsChecked").GetInt64());
        Assert.Equal(5, report.GetProperty("eventsRecounted").GetInt64());
        Assert.Equal(AdSlice.Count, report.GetProperty("slicesDone").GetInt32());
        Assert.Equal(
            [(myAd, "click", 3L, 0L), (theirAd, "click", 2L, 0L)],
            Lines(report).OrderBy(l => l.AdId == myAd ? 0 : 1));

        var own = (await ReportsAsync(mine, $"/api/reconciliation/reports?from={Iso(hour)}&to={Iso(hour.AddHours(1))}")).Single(r => r.GetProperty("runId").GetGuid() == runId);
        Assert.Equal([(myAd, "click", 3L, 0L)], Lines(own));
        Assert.Equal(1, own.GetProperty("mismatchCount").GetInt64());
        Assert.False(own.TryGetProperty("adsChecked", out _));

        var series = await ApiScenario.JsonAsync(await mine.GetAsync($"/api/analytics/ads/{myAd}?from={Iso(hour)}&to={Iso(hour.AddHours(1))}", Cancel));
        Assert.Equal(3, series.GetProperty("totals").GetProperty("clicks").GetInt64());
    }

    [Fact]
    public async Task Run_ByAdvertiser_Forbidden()
    {
        var (advertiser, _, _) = await Scenario.CreateAdWithOwnerAsync();
        var hour = MinuteBucket.Truncate(DateTimeOffset.UtcNow, Granularity.Hour).AddHours(-1);

        var response = await advertiser.PostAsync($"/api/reconciliation/runs?hour={Iso(hour)}", null, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?hour=soon")]
    [InlineData("?hour=2026-11-28T09:30:00Z")]
    [InlineData("?hour=2999-01-01T00:00:00Z")]
    public async Task Run_BadHour_400ProblemNamingHour(string query)
    {
        var response = await Scenario.Admin.PostAsync($"/api/reconciliation/runs{query}", null, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True((await ApiScenario.JsonAsync(response)).GetProperty("errors").TryGetProperty("hour", out _));
    }

    [Fact]
    public async Task Run_CurrentHour_400()
    {
        var response = await Scenario.Admin.PostAsync($"/api/reconciliation/runs?hour={Iso(MinuteBucket.Truncate(DateTimeOffset.UtcNow, Granularity.Hour))}", null, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("from=2026-11-28T10:00:00Z&to=2026-11-28T09:00:00Z", "from")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-11-28T00:00:00Z", "from")]
    [InlineData("to=tomorrow", "to")]
    public async Task Reports_BadRange_400NamesField(string query, string field)
    {
        var response = await Scenario.Admin.GetAsync($"/api/reconciliation/reports?{query}", Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiScenario.JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Reports_NoKey_401()
    {
        var response = await Scenario.Anonymous.GetAsync("/api/reconciliation/reports", Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));

    private static async Task<List<JsonElement>> ReportsAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await ApiScenario.JsonAsync(response)).GetProperty("items").EnumerateArray()];
    }

    private static List<(Guid AdId, string Kind, long Expected, long Found)> Lines(JsonElement report) =>
        [.. report.GetProperty("mismatches").EnumerateArray().Select(m => (
            m.GetProperty("adId").GetGuid(), m.GetProperty("kind").GetString()!, m.GetProperty("expected").GetInt64(), m.GetProperty("found").GetInt64()))];

    // Written to the raw store behind the stream's back: events the counting never saw.
    private async Task AppendUncountedClicksAsync(Guid campaignId, Guid adId, DateTimeOffset at, int clicks)
    {
        var events = Enumerable.Range(0, clicks)
            .Select(i => new AdEvent(AdEventKind.Click, Guid.NewGuid(), adId, campaignId, at.AddSeconds(i), at.AddMinutes(-1), at.AddHours(1), true, null, null))
            .ToList();
        var accepted = await fixture.Factory.Services.GetRequiredService<IRawClickStore>().AppendNewAsync(new AdKey(adId, 0), events, Cancel);
        Assert.Equal(clicks, accepted.Count);
    }
}
