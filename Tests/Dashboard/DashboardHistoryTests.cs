using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Orleans.AdClicks.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>The dashboard over an hour and a half of an advertiser's clicks (DashboardHistoryFixture).</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardHistoryTests(BrowserFixture browser, DashboardHistoryFixture history) : IClassFixture<DashboardHistoryFixture>
{
    private DashboardAdvertiser Advertiser => history.Advertiser;

    [Fact]
    public async Task Kpis_CustomRange_EqualTheApisTotalsAndChangeAgainstThePreviousPeriod()
    {
        var to = MinuteOf(DateTimeOffset.UtcNow).AddMinutes(1);
        var from = to.AddMinutes(-30);
        await using var page = await browser.OpenAsync(history.Factory.ClientOptions.BaseAddress);
        await page.SignInAsync(Advertiser.ApiKey, Advertiser.Name);

        await page.SelectCustomRangeAsync(from, to);

        var answer = await AdTraffic.AnalyticsAsync(Advertiser.Client, $"/api/analytics/advertisers/{Advertiser.Id}", from, to, "minute");
        var totals = answer.GetProperty("totals");
        var previous = answer.GetProperty("previous").GetProperty("totals");
        Assert.True(previous.GetProperty("clicks").GetInt64() > 0, "the previous period has clicks to compare with");
        foreach (var name in new[] { "clicks", "impressions", "ctr" })
        {
            var current = totals.GetProperty(name).GetDouble();
            var before = previous.GetProperty(name).GetDouble();
            Assert.Equal(current, await DashboardPage.NumberAsync(page.Kpi(name)));
            Assert.Equal((current - before) / before, (await DashboardPage.NumberAsync(page.KpiDelta(name)))!.Value, 1e-9);
        }

        Assert.Equal(totals.GetProperty("clicks").GetInt64(), await page.SeriesSumAsync("clicks"));
        Assert.Equal(SeriesStarts(answer), await SeriesStartsAsync(page));
    }

    [Fact]
    public async Task KpiDelta_PreviousPeriodEmpty_LeftEmpty()
    {
        var from = MinuteOf(DateTimeOffset.UtcNow) - DashboardHistoryFixture.History;
        await using var page = await browser.OpenAsync(history.Factory.ClientOptions.BaseAddress);
        await page.SignInAsync(Advertiser.ApiKey, Advertiser.Name);

        // Before the first click: the period before it has nothing to compare with.
        await page.SelectCustomRangeAsync(from.AddMinutes(-30), from.AddMinutes(30));

        await Expect(page.KpiDelta("clicks")).ToHaveAttributeAsync("data-value", "");
        Assert.True(await DashboardPage.NumberAsync(page.Kpi("clicks")) > 0);
        await DashboardPage.AssertReadableAsync(page.KpiDelta("clicks"));
    }

    [Fact]
    public async Task Reconciliation_EndedHourRun_ShownAndExportedAsItsReport()
    {
        var hour = HourOf(DateTimeOffset.UtcNow).AddHours(-1);
        var started = await history.Scenario.Admin.PostAsync($"/api/reconciliation/runs?hour={Uri.EscapeDataString(hour.ToString("O"))}", null, TestContext.Current.CancellationToken);
        var runId = (await Eventually.MatchesAsync(
            () => ReportAsync(hour),
            report => report?.GetProperty("status").GetString() == "completed"))!.Value.GetProperty("runId").GetGuid();
        await using var page = await browser.OpenAsync(history.Factory.ClientOptions.BaseAddress);

        await page.SignInAsync(Advertiser.ApiKey, Advertiser.Name);

        var row = page.Page.GetByTestId("reconciliation").Locator($"tr[data-run-id='{runId}']");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, started.StatusCode);
        await Expect(row.Locator("td[data-col=mismatches]")).ToHaveAttributeAsync("data-value", "0");
        await Expect(row.Locator("td[data-col=status]")).ToHaveAttributeAsync("data-value", "completed");
        var csv = Csv.Parse(await page.ExportAsync("reconciliation"));
        var rows = page.Page.GetByTestId("reconciliation").Locator("tr[data-run-id]");
        Assert.Equal(await rows.CountAsync() + 1, csv.Count);
        Assert.Contains(csv.Skip(1), r => r.Contains(runId.ToString()) && r.Contains("completed"));
    }

    /// <summary>
    /// The README's picture: the last hour of three campaigns at 1280x800, written to docs/dashboard.png only when
    /// ADCLICKS_UPDATE_SCREENSHOT=1 (else beside the other screenshots), after the page rendered every panel.
    /// </summary>
    [Fact]
    public async Task ReadmeScreenshot_LastHourOfThreeCampaigns_Rendered()
    {
        await using var page = await browser.OpenAsync(history.Factory.ClientOptions.BaseAddress, width: 1280, height: 800);
        await page.SignInAsync(Advertiser.ApiKey, Advertiser.Name);
        await page.RefreshAfterAsync(async () =>
        {
            await page.Range.SelectOptionAsync("1h");
            await page.Page.GetByTestId("compare-previous").SetCheckedAsync(true);
        });
        await Expect(page.TopAdRows).ToHaveCountAsync(Advertiser.Campaigns.Count);
        await page.FreshAsync();
        // Signing in focuses the dashboard, which scrolls the page header away.
        await page.Page.EvaluateAsync("() => window.scrollTo(0, 0)");

        var path = Environment.GetEnvironmentVariable("ADCLICKS_UPDATE_SCREENSHOT") == "1"
            ? Path.Combine(DotnetCli.RepositoryRoot, "docs", "dashboard.png")
            : TestArtifacts.ScreenshotPath("-readme");
        await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });

        Assert.True(new FileInfo(path).Length > 10_000, $"{path} looks empty");
        await Expect(page.Page.GetByTestId("series-chart").Locator("canvas").First).ToBeVisibleAsync();
    }

    private async Task<JsonElement?> ReportAsync(DateTimeOffset hour)
    {
        var query = $"from={Uri.EscapeDataString(hour.ToString("O"))}&to={Uri.EscapeDataString(hour.AddHours(1).ToString("O"))}";
        var answer = await Advertiser.Client.GetFromJsonAsync<JsonElement>($"/api/reconciliation/reports?{query}", TestContext.Current.CancellationToken);
        return answer.GetProperty("items").EnumerateArray().Cast<JsonElement?>().FirstOrDefault();
    }

    private static DateTimeOffset HourOf(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    private static DateTimeOffset MinuteOf(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private static List<DateTimeOffset> SeriesStarts(JsonElement answer) =>
        [.. answer.GetProperty("series").EnumerateArray().Select(p => p.GetProperty("start").GetDateTimeOffset())];

    private static async Task<List<DateTimeOffset>> SeriesStartsAsync(DashboardPage page)
    {
        var starts = new List<DateTimeOffset>();
        foreach (var row in await page.SeriesRows.AllAsync())
        {
            starts.Add(DateTimeOffset.Parse((await row.GetAttributeAsync("data-start"))!, System.Globalization.CultureInfo.InvariantCulture));
        }

        return starts;
    }
}
