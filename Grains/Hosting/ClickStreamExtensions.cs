using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Orleans.AdClicks.Streaming;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;

namespace Orleans.AdClicks.Hosting;

/// <summary>
/// The "clicks" stream, on the click log's backend: Orleans memory streams when embedded, Azure Queue
/// streams (durable) on Azure Storage, Orleans' Event Hubs provider on Event Hubs (<see cref="EventHubClickStreamExtensions"/>).
/// Only implicit subscribers (AdGrain), so no pub-sub state per stream.
/// </summary>
internal static class ClickStreamExtensions
{
    public static void AddClickStream(this ISiloBuilder silo, AdClicksSettings settings, IConfiguration configuration)
    {
        if (settings.Backends.ClickLog == Backend.Embedded)
        {
            silo.AddMemoryStreams(Constants.StreamProvider, stream =>
            {
                stream.ConfigurePartitioning(settings.Cluster.StreamPartitions);
                stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                stream.ConfigurePullingAgent(agent => agent.Configure(ConfigurePulling));
            });
        }
        else if (settings.Backends.ClickLog == Backend.AzureStorage)
        {
            silo.AddAzureQueueStreams(Constants.StreamProvider, stream =>
            {
                stream.ConfigureAzureQueue(queue => queue.Configure(o => ConfigureQueues(o, settings)));
                stream.ConfigureQueueDataAdapter(ClickQueueDataAdapter.Create);
                stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                stream.ConfigurePullingAgent(agent => agent.Configure(ConfigurePulling));
            });
        }
        else if (settings.Backends.ClickLog == Backend.EventHubs)
        {
            silo.AddEventHubClickStream(settings, configuration);
        }
        else
        {
            throw AdClicksSiloBuilderExtensions.Unwired(settings.Backends.ClickLog, nameof(AdClicksBackends.ClickLog));
        }
    }

    public static void AddClickStream(this IClientBuilder client, AdClicksSettings settings)
    {
        if (settings.Backends.ClickLog == Backend.Embedded)
        {
            client.AddMemoryStreams(Constants.StreamProvider, stream =>
            {
                stream.ConfigurePartitioning(settings.Cluster.StreamPartitions);
                stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            });
        }
        else if (settings.Backends.ClickLog == Backend.AzureStorage)
        {
            client.AddAzureQueueStreams(Constants.StreamProvider, stream =>
            {
                stream.ConfigureAzureQueue(queue => queue.Configure(o => ConfigureQueues(o, settings)));
                stream.ConfigureQueueDataAdapter(ClickQueueDataAdapter.Create);
                stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            });
        }
        else if (settings.Backends.ClickLog != Backend.EventHubs)
        {
            // On Event Hubs a client has no stream to add: the Api produces over the Kafka protocol, only silos consume.
            throw AdClicksSiloBuilderExtensions.Unwired(settings.Backends.ClickLog, nameof(AdClicksBackends.ClickLog));
        }
    }

    private static void ConfigureQueues(AzureQueueOptions options, AdClicksSettings settings)
    {
        // The click log's only retry layer. Its beacons answer 503 at their deadline whatever this does, but an ad
        // shard's next append waits for this one: give up within about 6 s (3 tries of at most 2 s) when storage
        // is gone, instead of the SDK's default of retrying for most of a minute.
        var client = new QueueClientOptions
        {
            Retry = { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(500), NetworkTimeout = TimeSpan.FromSeconds(2) },
        };
        options.QueueServiceClient = settings.RequireAzureStorage().CreateQueueServiceClient(client);
        options.QueueNames = settings.QueueNames();
    }

    internal static void ConfigurePulling(StreamPullingAgentOptions options)
    {
        // Half the default 100 ms poll: counts show sooner; a few queues polled 20 times a second cost little.
        options.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(50);
        options.BatchContainerBatchSize = 256;
    }
}
