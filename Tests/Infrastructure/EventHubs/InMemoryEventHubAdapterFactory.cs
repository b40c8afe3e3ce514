using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Statistics;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace Orleans.AdClicks.Tests.Infrastructure.EventHubs;

/// <summary>
/// Orleans' Event Hubs adapter factory with the network taken out: partitions and receivers come from an
/// <see cref="InMemoryEventHub"/>, everything else (pulling agents, cache, the configured data adapter and checkpointer,
/// receiver and cache options) is the provider's own. Put in place of the real factory with <see cref="Replace"/>.
/// </summary>
public sealed class InMemoryEventHubAdapterFactory(
    string name,
    EventHubOptions ehOptions,
    EventHubReceiverOptions receiverOptions,
    EventHubStreamCachePressureOptions cacheOptions,
    StreamCacheEvictionOptions cacheEvictionOptions,
    StreamStatisticOptions statisticOptions,
    IEventHubDataAdapter dataAdapter,
    IServiceProvider serviceProvider,
    ILoggerFactory loggerFactory,
    IEnvironmentStatisticsProvider environmentStatisticsProvider,
    InMemoryEventHub hub)
    : EventHubAdapterFactory(name, ehOptions, receiverOptions, cacheOptions, cacheEvictionOptions, statisticOptions, dataAdapter, serviceProvider, loggerFactory, environmentStatisticsProvider)
{
    /// <summary>Makes the stream provider <paramref name="name"/> of a silo read <paramref name="hub"/>.</summary>
    public static void Replace(ISiloBuilder silo, string name, InMemoryEventHub hub) =>
        silo.Services.AddKeyedSingleton<IQueueAdapterFactory>(name, (services, _) => Create(services, name, hub));

    /// <summary>As <see cref="EventHubAdapterFactory.Create"/>, with the hub in memory.</summary>
    public static new InMemoryEventHubAdapterFactory Create(IServiceProvider services, string name) =>
        Create(services, name, services.GetRequiredService<InMemoryEventHub>());

    private static InMemoryEventHubAdapterFactory Create(IServiceProvider services, string name, InMemoryEventHub hub)
    {
        var factory = ActivatorUtilities.CreateInstance<InMemoryEventHubAdapterFactory>(
            services,
            name,
            services.GetOptionsByName<EventHubOptions>(name),
            services.GetOptionsByName<EventHubReceiverOptions>(name),
            services.GetOptionsByName<EventHubStreamCachePressureOptions>(name),
            services.GetOptionsByName<StreamCacheEvictionOptions>(name),
            services.GetOptionsByName<StreamStatisticOptions>(name),
            services.GetKeyedService<IEventHubDataAdapter>(name) ?? services.GetRequiredService<IEventHubDataAdapter>(),
            hub);
        factory.Init();
        return factory;
    }

    public override void Init()
    {
        EventHubReceiverFactory = (partition, offset, _) =>
            new InMemoryPartitionReceiver(hub, partition.Partition, offset, partition.ReceiverOptions.StartFromNow);
        base.Init();
    }

    protected override void InitEventHubClient()
    {
    }

    protected override Task<string[]> GetPartitionIdsAsync() => Task.FromResult(hub.PartitionIds);
}
