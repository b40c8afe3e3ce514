using System.Globalization;
using System.Net.Http.Json;
using Orleans.AdClicks.Tests.Api;

namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>
/// The real Api as its own OS process (co-hosted silo), so a test can kill it hard (SIGKILL: no
/// graceful shutdown, nothing flushed) or stop it as a platform does (SIGTERM), read what it printed,
/// and start it again on the same ports and data directory.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly HostProcess _host;

    public ApiProcess(string dataDirectory, IReadOnlyDictionary<string, string> settings)
    {
        Port = FreePort.Next();
        var environment = HostProcess.Environment(
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
                ["AdClicks:DataDirectory"] = dataDirectory,
                ["AdClicks:Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["AdClicks:Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Warning",
            },
            Api.AdClicksApiFactory.UnlimitedRates,
            Api.AdClicksApiFactory.LenientInvalidTraffic,
            settings);
        _host = new HostProcess("Orleans.AdClicks.Api", environment, new Uri(BaseAddress, "/health/ready"));
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>The lines the process wrote to standard output and error, over all its starts.</summary>
    public IReadOnlyCollection<string> Output => _host.Output;

    /// <summary>Starts the process and waits until /health/ready answers 200.</summary>
    public Task StartAsync() => _host.StartAsync();

    /// <summary>SIGKILL: the process gets no chance to flush, drain or say goodbye to the cluster.</summary>
    public Task KillAsync() => _host.KillAsync();

    /// <inheritdoc cref="HostProcess.TerminateAsync"/>
    public Task<TimeSpan> TerminateAsync(TimeSpan patience) => _host.TerminateAsync(patience);

    /// <summary>A client of this process that sends <paramref name="apiKey"/> (none when null) and never follows redirects.</summary>
    public HttpClient CreateClient(string? apiKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>A new advertiser (created by <paramref name="admin"/>) with one campaign of <paramref name="ads"/> ads, and its client.</summary>
    public async Task<(HttpClient Advertiser, List<Guid> AdIds)> CreateAdsAsync(HttpClient admin, int ads)
    {
        var created = await admin.PostAsJsonAsync("/api/advertisers", new { name = "Acme" }, TestContext.Current.CancellationToken);
        var advertiser = CreateClient((await ApiScenario.JsonAsync(created)).GetProperty("apiKey").GetString());
        var campaignId = await ApiScenario.CreateCampaignAsync(advertiser);
        var adIds = new List<Guid>();
        for (var i = 0; i < ads; i++)
        {
            adIds.Add(await ApiScenario.CreateAdAsync(advertiser, campaignId));
        }

        return (advertiser, adIds);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
