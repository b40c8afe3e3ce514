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
        _host = new HostProcess("Orleans.AdClicks.Silo", environment, new Uri($"http://127.0.0.1:{healthPort}/health/ready"));
    }

    /// <summary>The lines the process wrote to standard output and error, over all its starts.</summary>
    public IReadOnlyCollection<string> Output => _host.Output;

    /// <summary>Starts the process and waits until /health/ready answers 200.</summary>
    public Task StartAsync() => _host.StartAsync();

    /// <inheritdoc cref="HostProcess.TerminateAsync"/>
    public Task<TimeSpan> TerminateAsync(TimeSpan patience) => _host.TerminateAsync(patience);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
