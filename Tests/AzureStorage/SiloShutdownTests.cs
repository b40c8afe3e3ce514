using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.AzureStorage;

/// <summary>
/// The headless Silo process stopped by SIGTERM, as a platform stops a container: it exits within its
/// shutdown timeout (25 s, below the 30 s after which Container Apps and Kubernetes kill it) even when
/// its storage is unreachable, as the Api does.
/// </summary>
[Trait("Category", "Azurite")]
public sealed class SiloShutdownTests
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    // After the host's stop gave up: disposing its services and leaving the process; the platform's kill comes at 30 s.
    private static readonly TimeSpan ExitSlack = TimeSpan.FromSeconds(3);

    private const string GaveUp = "The silo had not stopped within the shutdown timeout";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sigterm_StorageUnreachable_ExitsWithinShutdownTimeout(bool silent)
    {
        await using var azurite = await Azurite.StartAsync();
        using var network = azurite.ThroughProxies();
        using var data = new TempDirectory();
        await using var silo = new SiloProcess(data.Path, new Dictionary<string, string> { ["ConnectionStrings:AzureStorage"] = network.ConnectionString });
        await silo.StartAsync();

        if (silent)
        {
            network.Stall();
        }
        else
        {
            network.Cut();
        }

        var exit = await silo.TerminateAsync(patience: TimeSpan.FromSeconds(60));

        TestContext.Current.TestOutputHelper?.WriteLine($"exited {exit} after SIGTERM");
        Assert.True(exit < ShutdownTimeout + ExitSlack, $"exited {exit} after SIGTERM; it printed:\n{string.Join('\n', silo.Output)}");
        Assert.Contains(silo.Output, line => line.Contains(GaveUp, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sigterm_StorageReachable_StopsGracefullyWellWithinTheTimeout()
    {
        await using var azurite = await Azurite.StartAsync();
        using var data = new TempDirectory();
        await using var silo = new SiloProcess(data.Path, new Dictionary<string, string> { ["ConnectionStrings:AzureStorage"] = azurite.ConnectionString });
        await silo.StartAsync();

        var exit = await silo.TerminateAsync(patience: TimeSpan.FromSeconds(60));

        TestContext.Current.TestOutputHelper?.WriteLine($"exited {exit} after SIGTERM");
        Assert.True(exit < ShutdownTimeout, $"exited {exit} after SIGTERM; it printed:\n{string.Join('\n', silo.Output)}");
        Assert.DoesNotContain(silo.Output, line => line.Contains(GaveUp, StringComparison.Ordinal));
    }
}
