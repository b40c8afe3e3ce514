using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Orleans.AdClicks.ServiceDefaults;

/// <summary>What both hosts (Api and Silo) share: OpenTelemetry logs, metrics and traces, and the health endpoints.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks with this tag decide <c>/health/ready</c>; every other check is left out of both endpoints.</summary>
    public const string ReadyTag = "ready";

    /// <summary>When set, logs, metrics and traces are exported there by OTLP (and its other OTEL_EXPORTER_OTLP_* settings).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Every meter and activity source of this project ("Orleans.AdClicks.Reconciliation", …).</summary>
    public const string ProjectSources = "Orleans.AdClicks.*";

    /// <summary>Orleans' own meter.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Orleans' activity sources (application and runtime grain calls, lifecycle, storage).</summary>
    public const string OrleansSources = "Microsoft.Orleans.*";

    /// <summary>The Azure SDK's activity sources, one per client ("Azure.Data.Tables.TableClient", …).</summary>
    public const string AzureSdkSources = "Azure.*";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service; the assembly otherwise.
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(builder.Environment.ApplicationName);
                }
            })
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(OrleansMeter, ProjectSources));

        // Spans are made only when something exports them: every beacon and grain call would make
        // several, and with no exporter nobody reads them.
        if (exportOtlp)
        {
            AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsHealthRequest(context))
                .AddHttpClientInstrumentation()
                .AddSource(AzureSdkSources, OrleansSources, ProjectSources));
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>: 200 while the process serves requests (no check runs). <c>/health/ready</c>: 200 when every
    /// check tagged <see cref="ReadyTag"/> is healthy, 503 otherwise.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }

    private static bool IsHealthRequest(HttpContext context) => context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal);
}
