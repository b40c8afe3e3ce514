using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.Kusto.Client;
using Orleans.Runtime;

namespace Orleans.AdClicks.Storage.Kusto;

/// <summary>Registers Azure Data Explorer as the aggregate store: reads for the Api and silos, writes and the schema check for silos.</summary>
public static class KustoAggregateStoreExtensions
{
    /// <summary>The service key of the HTTP handler every Kusto client sends through; a test registers its own after these.</summary>
    public const string HttpKey = "Kusto";

    /// <summary>The read side only (the Api as a client of a cluster): analytics straight from ADX, no silo in between.</summary>
    public static IServiceCollection AddKustoAggregateQueries(this IServiceCollection services, KustoConnection connection)
    {
        services.AddKustoReads(connection);
        services.AddSingleton<IAggregateQueries>(sp => sp.GetRequiredService<KustoAggregateQueries>());
        return services;
    }

    /// <summary>
    /// Both sides in a silo: rows go to this process's <see cref="KustoMinuteCountWriter"/> (options at
    /// <see cref="KustoIngestionOptions.SectionName"/>), reads to ADX, reconciliation's mismatches to the table
    /// ReconciliationMismatches, and the silo checks the database's schema before it joins.
    /// </summary>
    public static IServiceCollection AddKustoAggregates(this IServiceCollection services, KustoConnection connection, IConfiguration configuration)
    {
        services.AddKustoReads(connection);
        services.AddOptions<KustoIngestionOptions>().Bind(configuration.GetSection(KustoIngestionOptions.SectionName));
        services.AddSingleton<KustoIngestionMetrics>();
        services.AddSingleton(sp => new KustoIngestClient(Http(sp), sp.GetRequiredService<KustoConnection>(), timeProvider: Time(sp)));
        services.AddSingleton(sp => new KustoManagementClient(Http(sp), sp.GetRequiredService<KustoConnection>(), timeProvider: Time(sp)));
        services.AddSingleton(sp => new KustoSchemaCheck(sp.GetRequiredService<KustoManagementClient>()));
        services.AddSingleton(sp => new KustoMinuteCountWriter(
            sp.GetRequiredService<KustoIngestClient>(), sp.GetRequiredService<IOptions<KustoIngestionOptions>>(),
            sp.GetRequiredService<KustoIngestionMetrics>(), Time(sp), sp.GetRequiredService<ILogger<KustoMinuteCountWriter>>()));
        services.AddSingleton<IMinuteCountWriter>(sp => sp.GetRequiredService<KustoMinuteCountWriter>());
        services.AddSingleton(sp => new KustoHourBreakdownWriter(
            sp.GetRequiredService<KustoIngestClient>(), sp.GetRequiredService<IOptions<KustoIngestionOptions>>(),
            sp.GetRequiredService<KustoIngestionMetrics>(), Time(sp), sp.GetRequiredService<ILogger<KustoHourBreakdownWriter>>()));
        services.AddSingleton<IHourBreakdownWriter>(sp => sp.GetRequiredService<KustoHourBreakdownWriter>());
        services.AddSingleton(sp => new KustoAggregateStore(
            sp.GetRequiredService<KustoAggregateQueries>(), sp.GetRequiredService<KustoMinuteCountWriter>(),
            sp.GetRequiredService<KustoBreakdownQueries>(), sp.GetRequiredService<KustoHourBreakdownWriter>()));
        services.AddSingleton<IAggregateQueries>(sp => sp.GetRequiredService<KustoAggregateStore>());
        // Registered after the embedded no-op (AddReconciliation), so this one is resolved.
        services.AddSingleton<IReconciliationMismatchLog, KustoReconciliationMismatchLog>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, KustoSchemaStartupCheck>();
        return services;
    }

    private static void AddKustoReads(this IServiceCollection services, KustoConnection connection)
    {
        services.AddSingleton(connection);
        services.AddKeyedSingleton<HttpMessageHandler>(HttpKey, (_, _) => new SocketsHttpHandler
        {
            // The cluster's front ends change behind one name: pooled connections are renewed to follow DNS.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        });
        services.AddKeyedSingleton(HttpKey, (sp, key) => new HttpClient(sp.GetRequiredKeyedService<HttpMessageHandler>(key), disposeHandler: false)
        {
            // Above the longest server timeout a query carries (the hour read's), so the server's answer comes first.
            Timeout = new KustoAggregateQueriesOptions().HourRead.ServerTimeout + TimeSpan.FromSeconds(30),
        });
        services.AddSingleton(sp => new KustoQueryClient(Http(sp), sp.GetRequiredService<KustoConnection>(), timeProvider: Time(sp)));
        services.AddSingleton(sp => new KustoAggregateQueries(sp.GetRequiredService<KustoQueryClient>(), sp.GetRequiredService<KustoConnection>().Database));
        services.AddSingleton(sp => new KustoBreakdownQueries(sp.GetRequiredService<KustoQueryClient>(), sp.GetRequiredService<KustoConnection>().Database));
        services.AddSingleton<IBreakdownQueries>(sp => sp.GetRequiredService<KustoBreakdownQueries>());
    }

    private static HttpClient Http(IServiceProvider services) => services.GetRequiredKeyedService<HttpClient>(HttpKey);

    private static TimeProvider Time(IServiceProvider services) => services.GetService<TimeProvider>() ?? TimeProvider.System;
}
