using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Ads;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.GrainState;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.AdClicks.Hosting;

/// <summary>Wires the AdClicks grains and the backing services chosen by configuration into a silo or client.</summary>
public static class AdClicksSiloBuilderExtensions
{
    /// <summary>
    /// Adds grain storage, reminders, the click stream, the raw click store and the aggregate store.
    /// Each backing service is embedded unless its connection string is configured.
    /// Clustering is separate (<see cref="UseAdClicksClustering"/>) so test clusters can bring their own.
    /// </summary>
    public static ISiloBuilder AddAdClicks(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = AdClicksSettings.From(configuration);
        Directory.CreateDirectory(settings.DataPath);
        silo.Services.TryAddSingleton(TimeProvider.System);

        // Grain state in Orleans' own format, by the [GenerateSerializer]/[Id] contracts the state types carry:
        // the default JSON with type names cannot read back collections the compiler built (e.g. `[.. items]`).
        // JSON stays the fallback, so state written before still reads.
        silo.Services.AddSingleton<IGrainStorageSerializer>(services => new GrainStorageSerializer(
            new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()),
            new JsonGrainStorageSerializer(services.GetRequiredService<OrleansJsonSerializer>())));

        if (settings.AzureStorage is null)
        {
            // One process holds the embedded cluster, so reminders need not outlive it: every start
            // registers the hourly one again, and that tick catches up on the hours missed while down.
            silo.UseInMemoryReminderService();
            silo.AddFileGrainStorage(Constants.GrainStore, Path.Combine(settings.DataPath, "grain-state"));
            silo.Services.AddEmbeddedRawClickStore(Path.Combine(settings.DataPath, "raw-clicks"), RawClickStoreServiceExtensions.Retention(configuration));
        }
        else
        {
            silo.AddAzureTableGrainStorage(Constants.GrainStore, o => o.TableServiceClient = new TableServiceClient(settings.AzureStorage));
            silo.UseAzureTableReminderService(o => o.TableServiceClient = new TableServiceClient(settings.AzureStorage));
            silo.Services.AddAzureTableRawClickStore(configuration, settings.AzureStorage);
        }

        silo.AddClickStream(settings);
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<CountingMetrics>();
        silo.AddReconciliation(configuration);
        silo.Services.AddDuckDbAggregates(Path.Combine(settings.DataPath, "aggregates.duckdb"));
        return silo;
    }

    private static void AddReconciliation(this ISiloBuilder silo, IConfiguration configuration)
    {
        var reconciliation = configuration.GetSection(ReconciliationOptions.Section).Get<ReconciliationOptions>() ?? new ReconciliationOptions();
        reconciliation.Validate();
        silo.Services.AddSingleton(Options.Create(reconciliation));
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<ReconciliationMetrics>();

        // Orleans refuses reminders under a minute unless told; tests run reconciliation every few seconds.
        var shortest = new[] { reconciliation.Period, reconciliation.ResumePeriod, TimeSpan.FromMinutes(1) }.Min();
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = shortest);
        silo.AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IReconciliationGrain>(0).EnsureScheduledAsync());
    }

    /// <summary>Joins the cluster: localhost membership when embedded, an Azure table when Azure Storage is configured.</summary>
    public static ISiloBuilder UseAdClicksClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = AdClicksSettings.From(configuration);
        if (settings.AzureStorage is null)
        {
            return silo.UseLocalhostClustering(settings.Cluster.SiloPort, settings.Cluster.GatewayPort,
                serviceId: AdClicksSettings.ServiceId, clusterId: AdClicksSettings.ClusterId);
        }

        return silo
            .Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (AdClicksSettings.ServiceId, AdClicksSettings.ClusterId))
            .ConfigureEndpoints(settings.Cluster.SiloPort, settings.Cluster.GatewayPort, listenOnAnyHostAddress: true)
            .UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(settings.AzureStorage));
    }

    /// <summary>Connects a client (the Api in client mode) to the cluster and its click stream.</summary>
    public static IClientBuilder UseAdClicksClient(this IClientBuilder client, IConfiguration configuration)
    {
        var settings = AdClicksSettings.From(configuration);
        if (settings.AzureStorage is null)
        {
            client.UseLocalhostClustering(settings.Cluster.GatewayPort, serviceId: AdClicksSettings.ServiceId, clusterId: AdClicksSettings.ClusterId);
        }
        else
        {
            client
                .Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (AdClicksSettings.ServiceId, AdClicksSettings.ClusterId))
                .UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(settings.AzureStorage));
        }

        return client.AddAdClicksClickStream(configuration);
    }

    /// <summary>Lets a client produce to the click stream (the Api's click log, tests).</summary>
    public static IClientBuilder AddAdClicksClickStream(this IClientBuilder client, IConfiguration configuration)
    {
        client.AddClickStream(AdClicksSettings.From(configuration));
        return client;
    }
}
