using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.AzureStorage;

/// <summary>
/// The Api process stopped by SIGTERM during a click burst, as a platform stops a container: it exits
/// within its shutdown timeout (25 s, below the 30 s after which Container Apps and Kubernetes kill it)
/// and says what its click log could not append.
/// </summary>
[Trait("Category", "Azurite")]
public sealed partial class ApiShutdownTests
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    // After the host's stop gave up: disposing its services and leaving the process; the platform's kill comes at 30 s.
    private static readonly TimeSpan ExitSlack = TimeSpan.FromSeconds(3);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sigterm_StorageUnreachable_ExitsWithinShutdownTimeoutAndSaysWhatItDropped(bool silent)
    {
        await using var azurite = await Azurite.StartAsync();
        using var network = azurite.ThroughProxies();
        using var data = new TempDirectory();
        var settings = AdClicksApiFactory.SharedSecrets();
        settings["ConnectionStrings:AzureStorage"] = network.ConnectionString;
        await using var api = new ApiProcess(data.Path, settings);
        await api.StartAsync();
        using var admin = api.CreateClient(settings[AuthOptions.AdminKeyKey]);
        var (advertiser, adIds) = await api.CreateAdsAsync(admin, ads: 4);
        var tokens = await Task.WhenAll(Enumerable.Range(0, 400).Select(async i => (await ApiScenario.CreateImpressionAsync(advertiser, adIds[i % adIds.Count]), adIds[i % adIds.Count])));
        using var anonymous = api.CreateClient(apiKey: null);
        var burst = new Burst(anonymous, tokens);
        await Eventually.MatchesAsync(() => Task.FromResult(burst.Redirected.Count), n => n >= 50);

        // Refused connections fail appends at once; a storage that never answers holds them in flight.
        if (silent)
        {
            network.Stall();
        }
        else
        {
            network.Cut();
        }

        await Eventually.MatchesAsync(() => Task.FromResult(burst.Unavailable), n => n >= 10);
        var exit = await api.TerminateAsync(patience: TimeSpan.FromSeconds(60));
        await burst.Completion;

        TestContext.Current.TestOutputHelper?.WriteLine($"exited {exit} after SIGTERM; click log: {ClickLogStopped(api)}");
        Assert.True(exit < ShutdownTimeout + ExitSlack, $"exited {exit} after SIGTERM; it printed:\n{string.Join('\n', api.Output)}");
        Assert.Contains(api.Output, line => line.Contains("The silo had not stopped within the shutdown timeout", StringComparison.Ordinal));
        if (silent)
        {
            var (notAppended, unfinished) = ClickLogStopped(api) ?? throw new Xunit.Sdk.XunitException($"The click log did not say what it could not append; the Api printed:\n{string.Join('\n', api.Output)}");
            Assert.True(notAppended + unfinished > 0, $"{notAppended} not appended, {unfinished} unfinished");
        }
    }

    [Fact]
    public async Task Sigterm_StorageReachable_DrainsEveryEventAndCountsMatch()
    {
        await using var azurite = await Azurite.StartAsync();
        using var data = new TempDirectory();
        var settings = AdClicksApiFactory.SharedSecrets();
        settings["ConnectionStrings:AzureStorage"] = azurite.ConnectionString;
        await using var api = new ApiProcess(data.Path, settings);
        await api.StartAsync();
        using var admin = api.CreateClient(settings[AuthOptions.AdminKeyKey]);
        var (advertiser, adIds) = await api.CreateAdsAsync(admin, ads: 4);
        var tokens = await Task.WhenAll(Enumerable.Range(0, 400).Select(async i => (await ApiScenario.CreateImpressionAsync(advertiser, adIds[i % adIds.Count]), adIds[i % adIds.Count])));
        using var anonymous = api.CreateClient(apiKey: null);
        var burst = new Burst(anonymous, tokens);
        await Eventually.MatchesAsync(() => Task.FromResult(burst.Redirected.Count), n => n >= 100);

        var exit = await api.TerminateAsync(patience: TimeSpan.FromSeconds(60));
        await burst.Completion;

        TestContext.Current.TestOutputHelper?.WriteLine($"exited {exit} after SIGTERM");
        Assert.True(exit < ShutdownTimeout, $"exited {exit} after SIGTERM");
        Assert.Contains(api.Output, line => line.Contains("The click log stopped after appending every event it held", StringComparison.Ordinal));
        Assert.Null(ClickLogStopped(api));

        // Counted after a restart, from the queues the stopped process appended to.
        await api.StartAsync();
        var answered = burst.Redirected.GroupBy(t => t.AdId).ToDictionary(g => g.Key, g => g.Count());
        foreach (var adId in adIds)
        {
            var expected = answered.GetValueOrDefault(adId);
            var totals = await Eventually.MatchesAsync(
                () => ApiScenario.TotalsAsync(advertiser, adId),
                t => t.Clicks >= expected,
                TimeSpan.FromSeconds(90));

            // A beacon that gave up at its deadline may still have had its event appended, never more.
            Assert.InRange(totals.Clicks, expected, expected + burst.Unavailable);
        }
    }

    /// <summary>The counts of the click log's "stopped with … not appended" line, or null when it did not print one.</summary>
    private static (long NotAppended, long Unfinished)? ClickLogStopped(ApiProcess api)
    {
        foreach (var line in api.Output)
        {
            var match = NotAppendedLine().Match(line);
            if (match.Success)
            {
                return (long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                    long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return null;
    }

    [GeneratedRegex(@"The click log stopped with (\d+) events not appended and (\d+) in appends")]
    private static partial Regex NotAppendedLine();

    /// <summary>Clicks on every token, 5 ms apart, sixteen at a time at most, recording how each was answered.</summary>
    private sealed class Burst
    {
        private int _unavailable;

        public Burst(HttpClient client, IReadOnlyList<(string Token, Guid AdId)> tokens)
        {
            var limit = new SemaphoreSlim(16);
            Completion = Task.WhenAll(tokens.Select(async (click, i) =>
            {
                await Task.Delay(i * 5, Cancel);
                await limit.WaitAsync(Cancel);
                try
                {
                    var response = await client.GetAsync($"/c/{click.Token}", Cancel);
                    if (response.StatusCode == HttpStatusCode.Redirect)
                    {
                        Redirected.Add(click);
                    }
                    else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        Interlocked.Increment(ref _unavailable);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    // The process stopped listening: not answered.
                }
                finally
                {
                    limit.Release();
                }
            }));
        }

        public ConcurrentBag<(string Token, Guid AdId)> Redirected { get; } = [];

        public int Unavailable => Volatile.Read(ref _unavailable);

        public Task Completion { get; }
    }
}
