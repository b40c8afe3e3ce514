using Microsoft.Playwright;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>One headless Chromium for every browser test of the run; each test opens its own context in it.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Generous for a machine the whole suite shares: waits end as soon as their condition holds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not launched yet.");

    public async ValueTask InitializeAsync()
    {
        await Chromium.EnsureInstalledAsync();
        Assertions.SetDefaultExpectTimeout((float)Timeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Executable,
            Headless = true,
            // Root in a container: no sandbox; no GPU; /dev/shm is small there.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>
    /// A fresh context (no cookies, no session storage) with one page at the Api's address, <paramref name="width"/> px
    /// wide, in the machine's time zone unless <paramref name="timeZone"/> (an IANA name) says another.
    /// </summary>
    public Task<DashboardPage> OpenAsync(Uri api, int width = 1280, int height = 800, string? timeZone = null) =>
        DashboardPage.OpenAsync(Browser, api, width, height, timeZone);

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
