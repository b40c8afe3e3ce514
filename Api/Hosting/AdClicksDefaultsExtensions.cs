using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Api.Beacons.EventHubs;
using Orleans.AdClicks.Api.InvalidTraffic;
using Orleans.AdClicks.Api.Tokens;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Enrichment;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Streaming;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>What every endpoint relies on: options, problem details, JSON, limits, the click path services.</summary>
public static class AdClicksDefaultsExtensions
{
    // Nothing the API accepts is near this; larger bodies are refused before they are read.
    private const long MaxRequestBodyBytes = 64 * 1024;

    public static IHostApplicationBuilder AddAdClicksDefaults(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<AdClicksOptions>().BindConfiguration(AdClicksOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The lifetime is checked with the raw store's retention by AdClicksSettings (AddAdClicksOrleans).
        services.AddOptions<ClickTokenOptions>().BindConfiguration(ClickTokenOptions.Section);
        services.AddOptions<ClickLogOptions>().BindConfiguration(ClickLogOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.MaxPendingPerShard <= o.MaxPending, "AdClicks:ClickLog:MaxPendingPerShard must not exceed MaxPending.").ValidateOnStart();
        services.AddOptions<BeaconOptions>().BindConfiguration(BeaconOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<Analytics.AnalyticsUnavailableExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            o.AddServerHeader = false;
        });

        services.AddSingleton<ClickTokens>();
        services.AddSingleton<AdTargets>();
        services.AddSingleton<BeaconDeadlines>();
        services.AddInvalidTraffic();
        services.AddEventEnrichment();
        services.AddSingleton<BeaconServices>();
        services.AddSingleton(sp => new HotAds(
            sp.GetRequiredService<IOptions<ClickLogOptions>>().Value.HotAdSettings(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<HotAds>>()));
        return builder;
    }

    /// <summary>
    /// The click log: Event Hubs over Kafka when it is the click log's backend, else the Orleans stream; registered
    /// after Orleans so it stops first and drains into the stream.
    /// </summary>
    public static IHostApplicationBuilder AddClickLog(this IHostApplicationBuilder builder)
    {
        if (AdClicksBackends.From(builder.Configuration).ClickLog == Backend.EventHubs)
        {
            builder.Services.AddKafkaClickLog();
            return builder;
        }

        builder.Services.AddSingleton<StreamClickLog>();
        builder.Services.AddSingleton<IClickLog>(sp => sp.GetRequiredService<StreamClickLog>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StreamClickLog>());
        return builder;
    }
}
