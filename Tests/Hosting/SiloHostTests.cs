using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Silo;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Hosting;

/// <summary>The headless silo as <c>dotnet run --project Silo</c> builds it: embedded backends, health endpoints on their own port.</summary>
public sealed class SiloHostTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Silo_Started_AnswersLiveAndReadyAndExportsOrleansMetrics()
    {
        using var data = new TempDirectory();
        var exported = new List<Metric>();
        var (builder, health) = CreateBuilder(data.Path);
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported));
        await using var app = SiloHost.Build(builder);
        await app.StartAsync(Cancel);
        using var client = new HttpClient { BaseAddress = health };

        var live = await client.GetAsync("/health/live", Cancel);
        var ready = await client.GetAsync("/health/ready", Cancel);
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains(exported, m => m.MeterName == "Microsoft.Orleans");
        await app.StopAsync(Cancel);
    }

    [Fact]
    public async Task Silo_ReadyTaggedCheckFailing_ReadyAnswers503LiveStill200()
    {
        using var data = new TempDirectory();
        var (builder, health) = CreateBuilder(data.Path);
        builder.Services.AddHealthChecks().AddCheck("still loading", () => HealthCheckResult.Unhealthy(), tags: [HealthTags.Ready]);
        await using var app = SiloHost.Build(builder);
        await app.StartAsync(Cancel);
        using var client = new HttpClient { BaseAddress = health };

        var live = await client.GetAsync("/health/live", Cancel);
        var ready = await client.GetAsync("/health/ready", Cancel);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        await app.StopAsync(Cancel);
    }

    private static (WebApplicationBuilder Builder, Uri Health) CreateBuilder(string dataDirectory)
    {
        var healthPort = FreePort.Next();
        var builder = SiloHost.CreateBuilder(
        [
            $"--AdClicks:DataDirectory={dataDirectory}",
            $"--AdClicks:Cluster:SiloPort={FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
            $"--AdClicks:Cluster:GatewayPort={FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
            $"--AdClicks:Cluster:HealthPort={healthPort.ToString(CultureInfo.InvariantCulture)}",
        ]);
        return (builder, new Uri($"http://localhost:{healthPort.ToString(CultureInfo.InvariantCulture)}"));
    }
}
