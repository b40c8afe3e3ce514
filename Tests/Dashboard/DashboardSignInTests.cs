using Microsoft.Playwright;
using Orleans.AdClicks.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>Signing in to the dashboard in Chromium, through the real Api on a real port.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardSignInTests(BrowserFixture browser, ApiFixture api) : IClassFixture<ApiFixture>
{
    private Uri Address => api.Factory.ClientOptions.BaseAddress;

    [Fact]
    public async Task Root_Anonymous_ShowsSignInFormWithLabelledKeyField()
    {
        await using var page = await browser.OpenAsync(Address);

        await page.GotoAsync();

        await Expect(page.Page.GetByLabel("API key")).ToBeVisibleAsync();
        await Expect(page.SignInButton).ToBeVisibleAsync();
        await Expect(page.SignedInAs).ToBeHiddenAsync();
    }

    [Fact]
    public async Task SignIn_WrongKey_ShowsNotAcceptedAndStaysSignedOut()
    {
        await using var page = await browser.OpenAsync(Address);
        await page.GotoAsync();

        await page.ApiKey.FillAsync("ak_not-a-key-of-this-api");
        await page.SignInButton.ClickAsync();

        await Expect(page.SignInError).ToHaveAttributeAsync("role", "alert");
        await Expect(page.SignInError).ToContainTextAsync("The API key was not accepted.");
        await Expect(page.SignedInAs).ToBeHiddenAsync();
        Assert.Null(await page.Page.EvaluateAsync<string?>("() => Object.values(sessionStorage).find(v => v.includes('ak_not-a-key')) ?? null"));
    }

    [Fact]
    public async Task SignIn_Advertiser_ShowsItsNameAndKeepsTheKeyForTheTabOnly()
    {
        var (_, key) = await api.Scenario.CreateAdvertiserKeyAsync("Contoso Coffee");
        await using var page = await browser.OpenAsync(Address);

        await page.SignInAsync(key, "Contoso Coffee");
        await page.Page.ReloadAsync();

        await Expect(page.SignedInAs).ToContainTextAsync("Contoso Coffee");
        Assert.Contains(key, await page.Page.EvaluateAsync<string[]>("() => Object.values(sessionStorage)"));
        Assert.DoesNotContain(key, await page.Page.EvaluateAsync<string[]>("() => Object.values(localStorage)"));
        await Expect(page.Page.GetByTestId("advertiser-picker")).ToBeHiddenAsync();
        await page.Page.GetByTestId("sign-out").ClickAsync();
        await Expect(page.Page.GetByTestId("sign-in")).ToBeVisibleAsync();
        Assert.DoesNotContain(key, await page.Page.EvaluateAsync<string[]>("() => Object.values(sessionStorage)"));
    }

    [Fact]
    public async Task SignedIn_KeyRevoked_SignsOutSayingTheKeyWasNotAccepted()
    {
        var (id, key) = await api.Scenario.CreateAdvertiserKeyAsync("Revoked Radishes");
        await using var page = await browser.OpenAsync(Address);
        await page.SignInAsync(key, "Revoked Radishes");

        var revoked = await api.Scenario.Admin.DeleteAsync($"/api/advertisers/{id}/api-key", TestContext.Current.CancellationToken);

        // The live refresh's next reads after the Api's key cache lets go of the key answer 401.
        Assert.Equal(System.Net.HttpStatusCode.NoContent, revoked.StatusCode);
        await Expect(page.SignInError).ToContainTextAsync("The API key was not accepted.");
        await Expect(page.Dashboard).ToBeHiddenAsync();
        Assert.DoesNotContain(key, await page.Page.EvaluateAsync<string[]>("() => Object.values(sessionStorage)"));
    }

    [Fact]
    public async Task TimeZone_BrowsersOwn_NamedThenUtcWhenChosen()
    {
        var (_, key) = await api.Scenario.CreateAdvertiserKeyAsync("Zoned Zebras");
        await using var page = await browser.OpenAsync(Address, timeZone: "America/New_York");
        await page.SignInAsync(key, "Zoned Zebras");
        var zone = page.Page.GetByTestId("time-zone");

        await Expect(zone.Locator("option[value=local]")).ToContainTextAsync("America/New_York");
        await Expect(page.Page.GetByTestId("as-of")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("EST|EDT|GMT-"));

        await page.RefreshAfterAsync(() => zone.SelectOptionAsync("utc"));

        await Expect(page.Page.GetByTestId("as-of")).ToContainTextAsync("UTC");
    }

    [Fact]
    public async Task Keyboard_SignInAndRangePicker_WorkWithTabAndEnter()
    {
        var (_, key) = await api.Scenario.CreateAdvertiserKeyAsync("Keyboard Kites");
        await using var page = await browser.OpenAsync(Address);
        await page.GotoAsync();

        await page.TabToAsync(page.ApiKey);
        await page.Page.Keyboard.TypeAsync(key);
        await page.Page.Keyboard.PressAsync("Enter");
        await Expect(page.SignedInAs).ToContainTextAsync("Keyboard Kites");

        var zone = page.Page.GetByTestId("time-zone");
        await page.TabToAsync(zone);
        while (await zone.InputValueAsync() != "utc")
        {
            // A focused <select> steps through its options with the arrow keys and fires change on each.
            await page.Page.Keyboard.PressAsync("ArrowDown");
        }

        await page.TabToAsync(page.Range, backwards: true);
        while (await page.Range.InputValueAsync() != "custom")
        {
            await page.Page.Keyboard.PressAsync("ArrowDown");
        }

        var from = DateTimeOffset.UtcNow.AddHours(-3);
        var to = DateTimeOffset.UtcNow.AddHours(-1);
        await TypeDateTimeAsync(page, page.Page.GetByTestId("range-from"), from);
        await TypeDateTimeAsync(page, page.Page.GetByTestId("range-to"), to);
        await page.TabToAsync(page.Page.GetByTestId("range-apply"));
        var typed = await page.ReadyGenerationAsync();
        await page.Page.Keyboard.PressAsync("Enter");

        await page.RefreshedAfterAsync(typed);
        await Expect(page.Page.GetByTestId("range-from")).ToHaveValueAsync(DashboardPage.DateTimeLocal(from));
        await Expect(page.Page.GetByTestId("range-to")).ToHaveValueAsync(DashboardPage.DateTimeLocal(to));
        // The live range before ended now; the applied one ends an hour ago.
        Assert.True(await StartAsync(page.SeriesRows.Last) < to);
        Assert.True(await StartAsync(page.SeriesRows.First) > from.AddDays(-1));
    }

    private static async Task<DateTimeOffset> StartAsync(ILocator row) =>
        DateTimeOffset.Parse((await row.GetAttributeAsync("data-start"))!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Types a time into a datetime-local input as a keyboard user does in the en-US locale: month, day, year,
    /// Tab to the time, hours, minutes and AM/PM.
    /// </summary>
    private static async Task TypeDateTimeAsync(DashboardPage page, ILocator input, DateTimeOffset time)
    {
        await page.TabToAsync(input);
        var utc = time.UtcDateTime;
        await page.Page.Keyboard.TypeAsync(utc.ToString("MMddyyyy", System.Globalization.CultureInfo.InvariantCulture));
        await page.Page.Keyboard.PressAsync("Tab");
        await page.Page.Keyboard.TypeAsync(utc.ToString("hhmmtt", System.Globalization.CultureInfo.InvariantCulture));
    }
}
