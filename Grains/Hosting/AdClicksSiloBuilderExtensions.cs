using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Ads;
using Orleans.AdClicks.Lists;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.GrainState;
using Orleans.AdClicks.Storage.Kusto;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Streaming;
using Orleans.AdClicks.Webhooks;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.AdClicks.Hosting;

/// <summary>Wires the AdClicks grains and the backing services chosen by configuration into a silo or client.</summary>
public static class AdClicksSiloBuilderExtensions
{
    /// <summary>
    /// Adds grain storage, reminders, the click stream, the raw click store and the aggregate store, each on the
    /// backend <see cref="AdClicksBackends"/> chooses for it (embedded unless configured).
    /// Clustering is separate (<see cref="UseAdClicksClustering"/>) so test clusters can bring their own.
    /// </summary>
    public static ISiloBuilder AddAdClicks(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = AdClicksSettings.From(configuration);
        Directory.CreateDirectory(settings.DataPath);
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton(settings);
        silo.Services.TryAddKeyedSingleton<TimeProvider>(TimeProviderNames.Membership, new MembershipClock());

        // Grain state in Orleans' own format, by the [GenerateSerializer]/[Id] contracts the state types carry:
        // the default JSON with type names cannot read back collections the compiler built (e.g. `[.. items]`).
        // JSON stays the fallback, so state written before still reads.
        silo.Services.AddSingleton<IGrainStorageSerializer>(services => new GrainStorageSerializer(
            new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()),
            new JsonGrainStorageSerializer(services.GetRequiredService<OrleansJsonSerializer>())));

        silo.AddGrainStateAndReminders(settings);
        silo.AddRawClickStore(configuration, settings);
        silo.AddClickStream(settings, configuration);
        silo.Services.TryAddSingleton<ClickStreamMetrics>();
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<CountingMetrics>();
        silo.AddReconciliation(configuration);
        silo.Services.AddWebhooks(configuration);
        silo.AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IWebhookQueuesGrain>(0).ResumeAllAsync());
        silo.AddStartupTask(LegacyIdLists.MoveOnStartAsync);
        silo.AddAggregateStore(settings, configuration);
        // Every silo registers in this process's list; only embedded aggregates on shared membership are checked.
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, EmbeddedAggregatesProcessCheck>();
        silo.AddActivityPropagation();
        silo.Services.AddClusterReadyCheck();
        return silo;
    }

    private static void AddGrainStateAndReminders(this ISiloBuilder silo, AdClicksSettings settings)
    {
        switch (settings.Backends.Cluster)
        {
            case Backend.Embedded:
                // One process holds the embedded cluster, so reminders need not outlive it: every start
                // registers the hourly one again, and that tick catches up on the hours missed while down.
                silo.UseInMemoryReminderService();
                silo.AddFileGrainStorage(Constants.GrainStore, Path.Combine(settings.DataPath, "grain-state"));
                break;
            case Backend.AzureStorage:
                var azure = settings.RequireAzureStorage();
                silo.AddAzureTableGrainStorage(Constants.GrainStore, o => o.TableServiceClient = azure.CreateTableServiceClient());
                silo.UseAzureTableReminderService(o => o.TableServiceClient = azure.CreateTableServiceClient());
                break;
            default:
                throw Unwired(settings.Backends.Cluster, nameof(AdClicksBackends.Cluster));
        }
    }

    private static void AddRawClickStore(this ISiloBuilder silo, IConfiguration configuration, AdClicksSettings settings)
    {
        switch (settings.Backends.RawClicks)
        {
            case Backend.Embedded:
                // The embedded registry remembers an id until its own token's expiry plus a margin and refuses
                // anything older, so it holds whatever token lifetime the Api mints with.
                silo.Services.AddEmbeddedRawClickStore(Path.Combine(settings.DataPath, "raw-clicks"), RawClickStoreServiceExtensions.Retention(configuration, settings));
                break;
            case Backend.AzureStorage:
                silo.Services.AddAzureTableRawClickStore(configuration, settings);
                break;
            default:
                throw Unwired(settings.Backends.RawClicks, nameof(AdClicksBackends.RawClicks));
        }
    }

    private static void AddAggregateStore(this ISiloBuilder silo, AdClicksSettings settings, IConfiguration configuration)
    {
        switch (settings.Backends.Aggregates)
        {
            case Backend.Embedded:
                silo.Services.AddDuckDbAggregates(Path.Combine(settings.DataPath, "aggregates.duckdb"));
                break;
            case Backend.Kusto:
                silo.Services.AddKustoAggregates(settings.RequireKusto(), configuration);
                break;
            default:
                throw Unwired(settings.Backends.Aggregates, nameof(AdClicksBackends.Aggregates));
        }
    }

    private static void AddClusterReadyCheck(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<ClusterReadyCheck>("cluster", tags: [HealthTags.Ready]);

    /// <summary>A backend AdClicksBackends accepts for a concern that nothing wires yet: a bug, not a configuration error.</summary>
    internal static InvalidOperationException Unwired(Backend backend, string concern) =>
        new($"{AdClicksBackends.Key(concern)} is {backend}, which this build does not wire.");

    private static void AddReconciliation(this ISiloBuilder silo, IConfiguration configuration)
    {
        var reconciliation = configuration.GetSection(ReconciliationOptions.Section).Get<ReconciliationOptions>() ?? new ReconciliationOptions();
        reconciliation.Validate();
        silo.Services.AddSingleton(Options.Create(reconciliation));
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<ReconciliationMetrics>();
        // Nothing to export to on the embedded store; a backend with a mismatch table registers its own log after this.
        silo.Services.TryAddSingleton<IReconciliationMismatchLog, NoReconciliationMismatchLog>();

        // Orleans refuses reminders under a minute unless told; tests run reconciliation every few seconds.
        var shortest = new[] { reconciliation.Period, reconciliation.ResumePeriod, TimeSpan.FromMinutes(1) }.Min();
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = shortest);
        silo.AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IReconciliationGrain>(0).EnsureScheduledAsync());
    }

    /// <summary>Joins the cluster: localhost membership when embedded, an Azure table on Azure Storage.</summary>
    public static ISiloBuilder UseAdClicksClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = AdClicksSettings.From(configuration);
        return settings.Backends.Cluster switch
        {
            Backend.Embedded => silo.UseLocalhostClustering(settings.Cluster.SiloPort, settings.Cluster.GatewayPort,
                serviceId: AdClicksSettings.ServiceId, clusterId: AdClicksSettings.ClusterId),
            Backend.AzureStorage => silo
                .Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (AdClicksSettings.ServiceId, AdClicksSettings.ClusterId))
                .ConfigureEndpoints(settings.Cluster.SiloPort, settings.Cluster.GatewayPort, listenOnAnyHostAddress: true)
                .UseAzureStorageClustering(o => o.TableServiceClient = settings.RequireAzureStorage().CreateTableServiceClient()),
            _ => throw Unwired(settings.Backends.Cluster, nameof(AdClicksBackends.Cluster)),
        };
    }

    /// <summary>Connects a client (the Api in client mode) to the cluster and its click stream.</summary>
    public static IClientBuilder UseAdClicksClient(this IClientBuilder client, IConfiguration configuration)
    {
        var settings = AdClicksSettings.From(configuration);
        switch (settings.Backends.Cluster)
        {
            case Backend.Embedded:
                client.UseLocalhostClustering(settings.Cluster.GatewayPort, serviceId: AdClicksSettings.ServiceId, clusterId: AdClicksSettings.ClusterId);
                break;
            case Backend.AzureStorage:
                client
                    .Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (AdClicksSettings.ServiceId, AdClicksSettings.ClusterId))
                    .UseAzureStorageClustering(o => o.TableServiceClient = settings.RequireAzureStorage().CreateTableServiceClient());
                break;
            default:
                throw Unwired(settings.Backends.Cluster, nameof(AdClicksBackends.Cluster));
        }

        client.AddActivityPropagation();
        client.Services.AddClusterReadyCheck();
        return client.AddAdClicksClickStream(configuration);
    }

    /// <summary>Lets a client produce to the click stream (the Api's click log, tests).</summary>
    public static IClientBuilder AddAdClicksClickStream(this IClientBuilder client, IConfiguration configuration)
    {
        client.AddClickStream(AdClicksSettings.From(configuration));
        return client;
    }
}
