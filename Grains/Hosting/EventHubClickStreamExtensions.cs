using Microsoft.Extensions.Configuration;
using Orleans.AdClicks.Streaming;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;

namespace Orleans.AdClicks.Hosting;

/// <summary>
/// The click stream on Event Hubs: Orleans' Event Hubs provider reads every partition of <see cref="EventHubsOptions.Hub"/>
/// as <see cref="EventHubsOptions.ConsumerGroup"/>, <see cref="ClickEventDataAdapter"/> turns records into stream events,
/// checkpoints are rows of <see cref="EventHubsOptions.CheckpointTable"/> in the Azure Storage account. The cache and
/// back-pressure figures are worked out in docs/counting.md ("Event Hubs: cache and back-pressure").
/// </summary>
internal static class EventHubClickStreamExtensions
{
    /// <summary>The Api's key for counting grains per ad; silos derive the same shard from each event.</summary>
    public const string ShardsPerAdKey = "AdClicks:ClickLog:ShardsPerAd";

    public static void AddEventHubClickStream(this ISiloBuilder silo, AdClicksSettings settings, IConfiguration configuration)
    {
        var connection = settings.RequireEventHubs();
        var storage = settings.RequireAzureStorage();
        var options = settings.EventHubsOptions;
        var shardsPerAd = ShardsPerAd(configuration);
        silo.AddEventHubStreams(Constants.StreamProvider, (ISiloEventHubStreamConfigurator stream) =>
        {
            stream.ConfigureEventHub(hub => hub.Configure(o => Connect(o, connection, options)));
            stream.UseDataAdapter((services, _) => ClickEventDataAdapter.Create(services, options.MaxEventBytes, shardsPerAd));
            stream.UseAzureTableCheckpointer(checkpoints => checkpoints.Configure(o =>
            {
                o.TableServiceClient = storage.CreateTableServiceClient();
                o.TableName = options.CheckpointTable;
                o.PersistInterval = options.CheckpointInterval;
            }));

            // With no checkpoint (a first deployment, or a crash before the first one) read the partition's whole
            // retention: Orleans' default, "now", would skip every event written before.
            stream.ConfigurePartitionReceiver(receiver => receiver.Configure(o =>
            {
                o.StartFromNow = false;
                o.PrefetchCount = options.PrefetchCount;
            }));
            stream.ConfigureCacheEviction(eviction => eviction.Configure(o =>
            {
                o.DataMinTimeInCache = options.CacheMinTime;
                o.DataMaxAgeInCache = options.CacheMaxAge;
                o.MetadataMinTimeInCache = options.CacheMinTime * 2;
            }));
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            stream.ConfigurePullingAgent(agent => agent.Configure(ClickStreamExtensions.ConfigurePulling));
        });
    }

    private static void Connect(EventHubOptions hub, EventHubsConnection connection, EventHubsOptions options)
    {
        if (connection.ConnectionString is { } connectionString)
        {
            hub.ConfigureEventHubConnection(connectionString, options.Hub, options.ConsumerGroup);
        }
        else
        {
            hub.ConfigureEventHubConnection(connection.FullyQualifiedNamespace, options.Hub, options.ConsumerGroup, connection.Credential);
        }
    }

    /// <exception cref="InvalidOperationException">Not between 1 and 64.</exception>
    internal static int ShardsPerAd(IConfiguration configuration)
    {
        var shards = configuration.GetValue<int?>(ShardsPerAdKey) ?? 1;
        return shards is >= 1 and <= 64
            ? shards
            : throw new InvalidOperationException($"{ShardsPerAdKey} must be between 1 and 64, not {shards}.");
    }
}
