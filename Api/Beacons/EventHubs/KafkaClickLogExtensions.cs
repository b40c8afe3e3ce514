using Microsoft.Extensions.Options;
using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Api.Beacons.EventHubs;

/// <summary>Registers the click log on Event Hubs' Kafka endpoint; nothing of Kafka exists in a process that does not call it.</summary>
public static class KafkaClickLogExtensions
{
    /// <summary>The producer for <c>ConnectionStrings:EventHubs</c> and the hub of <c>AdClicks:EventHubs</c>.</summary>
    public static IServiceCollection AddKafkaClickLog(this IServiceCollection services) =>
        services.AddKafkaClickLog(sp => sp.GetRequiredService<AdClicksSettings>().RequireEventHubs());

    /// <summary>The producer for <paramref name="connection"/> (tests and tools give their own namespace).</summary>
    public static IServiceCollection AddKafkaClickLog(this IServiceCollection services, Func<IServiceProvider, EventHubsConnection> connection)
    {
        services.AddSingleton(sp =>
        {
            var eventHubs = connection(sp);
            var clickLog = sp.GetRequiredService<IOptions<ClickLogOptions>>().Value;
            var deadline = sp.GetRequiredService<IOptions<BeaconOptions>>().Value.Deadline;
            var overrides = sp.GetRequiredService<IConfiguration>().GetSection(KafkaProducerConfig.Section).AsEnumerable(makePathsRelative: true);
            var config = KafkaProducerConfig.For(eventHubs, deadline, clickLog.MaxPending, overrides);
            var topic = sp.GetRequiredService<AdClicksSettings>().EventHubsOptions.Hub;
            return new KafkaClickLog(config, topic, eventHubs, clickLog, sp.GetRequiredService<ILogger<KafkaClickLog>>());
        });
        services.AddSingleton<IClickLog>(sp => sp.GetRequiredService<KafkaClickLog>());
        services.AddHostedService(sp => sp.GetRequiredService<KafkaClickLog>());
        services.AddHealthChecks().AddCheck<KafkaClickLogReadyCheck>("click-log", tags: [HealthTags.Ready]);
        return services;
    }
}
