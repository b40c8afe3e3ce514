using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orleans.AdClicks.Enrichment;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

public sealed class StartupTests
{
    [Fact]
    public async Task Start_LoadsTheUserAgentRulesBeforeTheFirstBeacon()
    {
        using var data = new TempDirectory();
        await using var factory = new AdClicksApiFactory(data.Path).Start();

        // The host's start classified one browser: the rules were parsed then, not by the first beacon.
        Assert.Equal(1, factory.Services.GetRequiredService<EventEnricher>().CachedUserAgents);
    }

    [Theory]
    [InlineData("no-colon-here")]
    [InlineData("k1:dG9vIHNob3J0")]
    public async Task Start_UnusableSigningKey_FailsWithClearError(string signingKey)
    {
        using var data = new TempDirectory();
        await using var factory = new AdClicksApiFactory(data.Path, settings: new Dictionary<string, string>
        {
            ["AdClicks:Tokens:SigningKeys:0"] = signingKey,
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.Start());

        var format = Assert.IsType<FormatException>(error.GetBaseException());
        Assert.Contains("signing key", format.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("ClickLog")]
    [InlineData("RawClicks")]
    [InlineData("Cluster")]
    public void Start_AzureBackendWithoutConnection_FailsNamingBothKeys(string concern)
    {
        using var data = new TempDirectory();
        using var factory = new AdClicksApiFactory(data.Path, settings: new Dictionary<string, string>
        {
            [$"AdClicks:Backends:{concern}"] = "AzureStorage",
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.Start()).GetBaseException();

        Assert.Equal($"AdClicks:Backends:{concern} is AzureStorage, but ConnectionStrings:AzureStorage is not set.", error.Message);
    }

    [Fact]
    public void Start_AzureStorageEndpointThatIsNoStorageEndpoint_FailsNamingTheKey()
    {
        using var data = new TempDirectory();
        using var factory = new AdClicksApiFactory(data.Path, settings: new Dictionary<string, string>
        {
            ["ConnectionStrings:AzureStorage"] = "https://example.com/",
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.Start()).GetBaseException();

        Assert.Contains("ConnectionStrings:AzureStorage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_Embedded_LogsNoWatchdogStall()
    {
        using var data = new TempDirectory();
        var logs = new FakeLogCollector();
        await using var factory = new AdClicksApiFactory(data.Path) { ConfigureLogging = logging => logging.AddProvider(new FakeLoggerProvider(logs)) };

        factory.Start();

        // The watchdog's first check runs as its thread starts, within the silo's start that Start() awaits.
        var warnings = logs.GetSnapshot().Where(r => r.Category == "Orleans.Runtime.Watchdog" && r.Level >= LogLevel.Warning).Select(r => r.Message);
        Assert.Empty(warnings);
    }
}
