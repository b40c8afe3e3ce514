using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>
/// The dashboard in one fresh browser context, by the page's test contract (data-testid, data-ready,
/// data-generation). Disposing saves a full-page screenshot as the test's artifact, also when the test failed.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private const string Marker = "document.querySelector('[data-testid=dashboard]')";

    private readonly IBrowserContext _context;
    private readonly List<string> _console = [];

    private DashboardPage(IBrowserContext context, IPage page, Uri api)
    {
        _context = context;
        Page = page;
        Api = api;
        page.Console += (_, message) => Log($"console.{message.Type}: {message.Text}");
        page.PageError += (_, error) => Log($"page error: {error}");
    }

    public IPage Page { get; }

    /// <summary>The Api's address, which serves the page at /.</summary>
    public Uri Api { get; }

    /// <summary>What the page wrote to its console and the errors it threw; disposing writes them to the test's output.</summary>
    public IReadOnlyList<string> Console
    {
        get
        {
            lock (_console)
            {
                return [.. _console];
            }
        }
    }

    public ILocator Dashboard => Page.GetByTestId("dashboard");

    public ILocator ApiKey => Page.GetByTestId("api-key");

    public ILocator SignInButton => Page.GetByTestId("sign-in").GetByRole(AriaRole.Button, new() { Name = "Sign in" });

    public ILocator SignInError => Page.GetByTestId("sign-in-error");

    public ILocator SignedInAs => Page.GetByTestId("signed-in-as");

    public ILocator Range => Page.GetByTestId("range");

    public ILocator TopAds => Page.GetByTestId("top-ads");

    public ILocator SeriesTable => Page.GetByTestId("series-table");

    public ILocator ErrorBanner => Page.GetByTestId("error-banner");

    public ILocator Breadcrumb => Page.GetByTestId("breadcrumb");

    /// <summary>A KPI card: clicks, impressions or ctr.</summary>
    public ILocator Kpi(string name) => Page.GetByTestId($"kpi-{name}");

    public ILocator KpiDelta(string name) => Page.GetByTestId($"kpi-{name}-delta");

    /// <summary>The series table's rows (one per bucket).</summary>
    public ILocator SeriesRows => SeriesTable.Locator("tr[data-start]");

    /// <summary>The top-ads table's rows (one per ad).</summary>
    public ILocator TopAdRows => TopAds.Locator("tr[data-ad-id]");

    internal static async Task<DashboardPage> OpenAsync(IBrowser browser, Uri api, int width, int height, string? timeZone)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
            TimezoneId = timeZone,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout((float)BrowserFixture.Timeout.TotalMilliseconds);
        return new DashboardPage(context, await context.NewPageAsync(), api);
    }

    /// <summary>Opens / and waits for the sign-in form.</summary>
    public async Task GotoAsync()
    {
        await Page.GotoAsync(new Uri(Api, "/").ToString());
        await Expect(Page.GetByTestId("sign-in")).ToBeVisibleAsync();
    }

    /// <summary>Signs in with <paramref name="apiKey"/> and waits until the page shows who is signed in and has rendered once.</summary>
    public async Task SignInAsync(string apiKey, string expectedName)
    {
        await GotoAsync();
        await ApiKey.FillAsync(apiKey);
        await SignInButton.ClickAsync();
        await Expect(SignedInAs).ToContainTextAsync(expectedName);
        await ReadyGenerationAsync();
    }

    /// <summary>
    /// Waits until no refresh runs and returns the generation shown: a refresh that completes with a higher
    /// one started after this call returned.
    /// </summary>
    public async Task<long> ReadyGenerationAsync()
    {
        var handle = await Page.WaitForFunctionAsync($"() => {{ const m = {Marker}; return m && m.dataset.ready === 'true' ? String(m.dataset.generation) : null; }}");
        return long.Parse(await handle.JsonValueAsync<string>(), CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until a refresh past <paramref name="generation"/> rendered every panel; returns its generation.</summary>
    public async Task<long> RefreshedAfterAsync(long generation)
    {
        var handle = await Page.WaitForFunctionAsync(
            $"g => {{ const m = {Marker}; return m && m.dataset.ready === 'true' && Number(m.dataset.generation) > g ? String(m.dataset.generation) : null; }}",
            generation);
        return long.Parse(await handle.JsonValueAsync<string>(), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <paramref name="action"/> (a change of range, a drill-down) and waits for the refresh it caused.</summary>
    public async Task<long> RefreshAfterAsync(Func<Task> action)
    {
        var generation = await ReadyGenerationAsync();
        await action();
        return await RefreshedAfterAsync(generation);
    }

    /// <summary>Waits for two refreshes after this call: the second one started after anything the test did before.</summary>
    public async Task<long> FreshAsync()
    {
        var generation = await ReadyGenerationAsync();
        return await RefreshedAfterAsync(generation);
    }

    /// <summary>A custom range in UTC, to the minute (what datetime-local inputs hold), applied to every panel.</summary>
    public Task<long> SelectCustomRangeAsync(DateTimeOffset from, DateTimeOffset to) => RefreshAfterAsync(async () =>
    {
        await Page.GetByTestId("time-zone").SelectOptionAsync("utc");
        await Range.SelectOptionAsync("custom");
        await Page.GetByTestId("range-from").FillAsync(DateTimeLocal(from));
        await Page.GetByTestId("range-to").FillAsync(DateTimeLocal(to));
        await Page.GetByTestId("range-apply").ClickAsync();
    });

    /// <summary>The attribute's number (data-value by default), null when it is empty.</summary>
    public static async Task<double?> NumberAsync(ILocator element, string attribute = "data-value")
    {
        var value = await element.GetAttributeAsync(attribute);
        return string.IsNullOrEmpty(value) ? null : double.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Presses Tab (Shift+Tab <paramref name="backwards"/>) until <paramref name="target"/> has the focus, at most <paramref name="most"/> times.</summary>
    public async Task TabToAsync(ILocator target, bool backwards = false, int most = 60)
    {
        for (var pressed = 0; pressed < most; pressed++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            await Page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }

        Assert.Fail($"{most} presses of Tab never reached {target}.");
    }

    /// <summary>What a table cell holds: its data-value when it has one (empty for no value), else its text.</summary>
    public static async Task<string> CellValueAsync(ILocator cell) =>
        await cell.GetAttributeAsync("data-value") is { } value ? value : (await cell.InnerTextAsync()).Trim();

    /// <summary>Every row's cells, row by row: each cell's data-col and value.</summary>
    public static async Task<List<List<(string Column, string Value)>>> RowValuesAsync(ILocator rows)
    {
        var values = new List<List<(string Column, string Value)>>();
        foreach (var row in await rows.AllAsync())
        {
            var cells = new List<(string Column, string Value)>();
            foreach (var cell in await row.Locator("td").AllAsync())
            {
                cells.Add((await cell.GetAttributeAsync("data-col") ?? "", await CellValueAsync(cell)));
            }

            values.Add(cells);
        }

        return values;
    }

    /// <summary>The sum of a series table column (clicks or impressions) over its rows.</summary>
    public async Task<long> SeriesSumAsync(string column)
    {
        long sum = 0;
        foreach (var cell in await SeriesRows.Locator($"td[data-col={column}]").AllAsync())
        {
            sum += long.Parse(await CellValueAsync(cell), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        }

        return sum;
    }

    /// <summary>A message an analyst can read: shown, a sentence rather than a word, no JSON or "undefined" in it.</summary>
    public static async Task AssertReadableAsync(ILocator message)
    {
        await Expect(message).ToBeVisibleAsync();
        var text = (await message.InnerTextAsync()).Trim();
        Assert.True(text.Length >= 10, $"too short to read: '{text}'");
        Assert.DoesNotContain("{", text);
        Assert.DoesNotContain("undefined", text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Clicks an export button and returns the downloaded file's text.</summary>
    public async Task<string> ExportAsync(string panel)
    {
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId($"export-{panel}").ClickAsync());
        using var reader = new StreamReader(await download.CreateReadStreamAsync(), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync();
    }

    public static string DateTimeLocal(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = TestArtifacts.ScreenshotPath(), FullPage = true });
        }
        catch (PlaywrightException e)
        {
            // A page that crashed or closed has nothing left to show; the test's own failure says why.
            TestContext.Current.TestOutputHelper?.WriteLine($"No screenshot: {e.Message}");
        }

        foreach (var line in Console)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(line);
        }

        await _context.CloseAsync();
    }

    private void Log(string line)
    {
        lock (_console)
        {
            _console.Add(line);
        }
    }
}
