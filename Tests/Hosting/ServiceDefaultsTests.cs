using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.AdClicks.ServiceDefaults;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Hosting;

/// <summary>What AddServiceDefaults wires into both hosts: OpenTelemetry, and OTLP export only when asked.</summary>
public sealed class ServiceDefaultsTests
{
    private const string OtlpAssembly = "OpenTelemetry.Exporter.OpenTelemetryProtocol";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void AddServiceDefaults_NoOtlpEndpoint_NoOtlpExporterWired()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        builder.AddServiceDefaults();

        Assert.DoesNotContain(builder.Services, IsOtlp);
    }

    [Fact]
    public async Task AddServiceDefaults_OtlpEndpoint_ProjectMetersExportedThere()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        await host.StartAsync(Cancel);
        using var meter = new Meter("Orleans.AdClicks.Tests.Otlp");

        meter.CreateCounter<long>("adclicks.tests.exported").Add(1);
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.Contains(builder.Services, IsOtlp);
        Assert.Contains("/v1/metrics", collector.Paths);
        await host.StopAsync(Cancel);
    }

    [Fact]
    public async Task AddServiceDefaults_OtlpEndpoint_ProjectSpansExportedThere()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        await host.StartAsync(Cancel);
        using var source = new ActivitySource("Orleans.AdClicks.Tests.Tracing");

        source.StartActivity("counted")?.Dispose();
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();

        Assert.Contains("/v1/traces", collector.Paths);
        await host.StopAsync(Cancel);
    }

    [Fact]
    public void AddServiceDefaults_NoOtlpEndpoint_NoTracerListens()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddServiceDefaults();

        using var host = builder.Build();

        Assert.Null(host.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task AddServiceDefaults_ProjectMeters_ExportedOthersNot()
    {
        var exported = new List<Metric>();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddServiceDefaults();
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported));
        using var host = builder.Build();
        await host.StartAsync(Cancel);
        using var project = new Meter("Orleans.AdClicks.Tests.Counting");
        using var other = new Meter("Somebody.Else");

        project.CreateCounter<long>("adclicks.tests.accepted").Add(3);
        other.CreateCounter<long>("somebody.else.count").Add(1);
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.Contains(exported, m => m.MeterName == "Orleans.AdClicks.Tests.Counting" && m.Name == "adclicks.tests.accepted");
        Assert.DoesNotContain(exported, m => m.MeterName == "Somebody.Else");
        await host.StopAsync(Cancel);
    }

    private static bool IsOtlp(ServiceDescriptor descriptor) =>
        new[] { descriptor.ServiceType, descriptor.ImplementationType, descriptor.ImplementationInstance?.GetType() }
            .Any(t => t?.Assembly.GetName().Name == OtlpAssembly || t?.GenericTypeArguments.Any(a => a.Assembly.GetName().Name == OtlpAssembly) == true);

    /// <summary>An OTLP/HTTP endpoint that answers 200 to every export and remembers which signals arrived.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private OtlpCollector(WebApplication app, string endpoint) => (_app, Endpoint) = (app, endpoint);

        public string Endpoint { get; }

        public ConcurrentBag<string> Paths { get; } = [];

        public static async Task<OtlpCollector> StartAsync()
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var app = builder.Build();
            var collector = new OtlpCollector(app, $"http://127.0.0.1:{port}");
            app.MapPost("/v1/{signal}", (HttpContext context) =>
            {
                collector.Paths.Add(context.Request.Path);
                return Results.Ok();
            });
            await app.StartAsync(TestContext.Current.CancellationToken);
            return collector;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
