using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
    public const string HotAdEventsPerShardPerSecondKey = "AdClicks:ClickLog:HotAdEventsPerShardPerSecond";
    public const string MaxShardsPerAdKey = "AdClicks:ClickLog:MaxShardsPerAd";
    public const string HotAdCoolDownKey = "AdClicks:ClickLog:HotAdCoolDown";

    public static void AddEventHubClickStream(this ISiloBuilder silo, AdClicksSettings settings, IConfiguration configuration)
    {
        var connection = settings.RequireEventHubs();
        var storage = settings.RequireAzureStorage();
        var options = settings.EventHubsOptions;
        var hotAds = HotAdSettings(configuration);
        silo.Services.AddSingleton(services => new PartitionHotAds(hotAds, services.GetService<TimeProvider>() ?? TimeProvider.System, services.GetRequiredService<ILoggerFactory>()));
        silo.AddEventHubStreams(Constants.StreamProvider, (ISiloEventHubStreamConfigurator stream) =>
        {
            stream.ConfigureEventHub(hub => hub.Configure(o => Connect(o, connection, options)));
            stream.UseDataAdapter((services, _) => ClickEventDataAdapter.Create(services, options.MaxEventBytes));
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

    /// <summary>The Api's hot-ad keys, read the same way here: each partition's reader spreads its hot ads by them.</summary>
    /// <exception cref="InvalidOperationException">A value out of the range the Api accepts.</exception>
    internal static HotAdSettings HotAdSettings(IConfiguration configuration) => new(
        Setting(configuration, ShardsPerAdKey, 1, 1, 64),
        Setting(configuration, HotAdEventsPerShardPerSecondKey, 2_000, 0, 10_000_000),
        Setting(configuration, MaxShardsPerAdKey, 16, 1, 64),
        configuration.GetValue<TimeSpan?>(HotAdCoolDownKey) is { } coolDown
            ? coolDown >= TimeSpan.FromSeconds(1) && coolDown <= TimeSpan.FromDays(1)
                ? coolDown
                : throw new InvalidOperationException($"{HotAdCoolDownKey} must be between 00:00:01 and 1.00:00:00, not {coolDown}.")
            : TimeSpan.FromMinutes(1));

    private static int Setting(IConfiguration configuration, string key, int byDefault, int min, int max)
    {
        var value = configuration.GetValue<int?>(key) ?? byDefault;
        return value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"{key} must be between {min} and {max}, not {value}.");
    }
}
