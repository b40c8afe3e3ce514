using System.Collections.Concurrent;
using System.Diagnostics;
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
    private readonly Dictionary<string, string> _environment;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public ApiProcess(string dataDirectory, IReadOnlyDictionary<string, string> settings)
    {
        Port = FreePort.Next();
        _environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
            ["AdClicks__DataDirectory"] = dataDirectory,
            ["AdClicks__Cluster__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["AdClicks__Cluster__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in Api.AdClicksApiFactory.UnlimitedRates)
        {
            _environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in settings)
        {
            _environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>The lines the process wrote to standard output and error, over all its starts.</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>Starts the process and waits until /health/ready answers 200.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Orleans.AdClicks.Api"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("The Api did not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The Api did not become ready (exited: {_process.HasExited}).");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to flush, drain or say goodbye to the cluster.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>
    /// SIGTERM, as Container Apps and Kubernetes stop a container, then waits for the process to exit
    /// (killing it after <paramref name="patience"/>, as they would); returns how long it took to exit.
    /// </summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan patience)
    {
        var process = _process ?? throw new InvalidOperationException("The Api is not running.");
        var watch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        var elapsed = watch.Elapsed;
        await KillAsync();
        return elapsed;
    }

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

    public async ValueTask DisposeAsync() => await KillAsync();

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
