using System.Net;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.AzureStorage;

/// <summary>
/// Headless Silo processes on one Azurite with the aggregates in DuckDB: each process would count only its own part
/// of the cluster into its own file, so a second silo process refuses to start, and the first keeps serving. A single
/// process restarted after a hard kill is not a second process.
/// </summary>
[Trait("Category", "Azurite")]
public sealed class EmbeddedAggregatesProcessTests
{
    private const string Refusal = "This silo process refuses to start";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SecondSiloProcess_AggregatesEmbedded_ExitsSayingWhyAndTheFirstKeepsServing()
    {
        await using var azurite = await Azurite.StartAsync();
        using var firstData = new TempDirectory();
        using var secondData = new TempDirectory();
        var settings = new Dictionary<string, string> { ["ConnectionStrings:AzureStorage"] = azurite.ConnectionString };
        await using var first = new SiloProcess(firstData.Path, settings);
        await using var second = new SiloProcess(secondData.Path, settings);
        await first.StartAsync();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(second.StartAsync);

        Assert.Contains("exited: True", refused.Message, StringComparison.Ordinal);
        Assert.Contains(second.Output, line => line.Contains(Refusal, StringComparison.Ordinal) && line.Contains("ConnectionStrings:Kusto", StringComparison.Ordinal));
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(first.Readiness, Cancel)).StatusCode);
        Assert.DoesNotContain(first.Output, line => line.Contains(Refusal, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoSiloProcesses_StartedAtOnce_AtMostOneServesAndEachRefusedOneSaysWhy()
    {
        await using var azurite = await Azurite.StartAsync();
        using var firstData = new TempDirectory();
        using var secondData = new TempDirectory();
        var settings = new Dictionary<string, string> { ["ConnectionStrings:AzureStorage"] = azurite.ConnectionString };
        await using var first = new SiloProcess(firstData.Path, settings);
        await using var second = new SiloProcess(secondData.Path, settings);

        var starts = await Task.WhenAll(new[] { first, second }.Select(async silo =>
        {
            try
            {
                await silo.StartAsync();
                return (Silo: silo, Ready: true);
            }
            catch (InvalidOperationException)
            {
                return (Silo: silo, Ready: false);
            }
        }));

        // Both may refuse when each joined while the other was joining; both serving is what must never happen.
        Assert.True(starts.Count(s => s.Ready) <= 1, "both silo processes started with embedded aggregates");
        Assert.All(starts.Where(s => !s.Ready), s => Assert.Contains(s.Silo.Output, line => line.Contains(Refusal, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SiloProcess_RestartedAfterHardKill_Starts()
    {
        await using var azurite = await Azurite.StartAsync();
        using var data = new TempDirectory();
        await using var silo = new SiloProcess(data.Path, new Dictionary<string, string> { ["ConnectionStrings:AzureStorage"] = azurite.ConnectionString });
        await silo.StartAsync();
        await silo.KillAsync();

        await silo.StartAsync();

        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(silo.Readiness, Cancel)).StatusCode);
        Assert.DoesNotContain(silo.Output, line => line.Contains(Refusal, StringComparison.Ordinal));
    }
}
