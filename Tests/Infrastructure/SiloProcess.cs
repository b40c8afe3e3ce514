using System.Globalization;

namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>The headless Silo as its own OS process, ready when its health port answers /health/ready.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly HostProcess _host;

    public SiloProcess(string dataDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var healthPort = FreePort.Next();
        var environment = HostProcess.Environment(
            new Dictionary<string, string>
            {
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["AdClicks:DataDirectory"] = dataDirectory,
                ["AdClicks:Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["AdClicks:Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["AdClicks:Cluster:HealthPort"] = healthPort.ToString(CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Warning",
            },
            settings);
        Readiness = new Uri($"http://127.0.0.1:{healthPort}/health/ready");
        _host = new HostProcess("Orleans.AdClicks.Silo", environment, Readiness);
    }

    /// <summary>The silo's /health/ready: 200 while a grain call round-trips through the cluster.</summary>
    public Uri Readiness { get; }

    /// <summary>The lines the process wrote to standard output and error, over all its starts.</summary>
    public IReadOnlyCollection<string> Output => _host.Output;

    /// <summary>Starts the process and waits until /health/ready answers 200.</summary>
    public Task StartAsync() => _host.StartAsync();

    /// <summary>SIGKILL: the process gets no chance to flush, drain or say goodbye to the cluster.</summary>
    public Task KillAsync() => _host.KillAsync();

    /// <inheritdoc cref="HostProcess.TerminateAsync"/>
    public Task<TimeSpan> TerminateAsync(TimeSpan patience) => _host.TerminateAsync(patience);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
