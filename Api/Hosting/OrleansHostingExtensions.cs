using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Storage.Kusto;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// The Api's one place for backends: it reads <see cref="AdClicksSettings"/> (each concern's backend, the token
/// lifetime; refused at startup when they cannot work), and either co-hosts a silo (the embedded default) or is a
/// client of a cluster.
/// </summary>
public static class OrleansHostingExtensions
{
    public static IHostApplicationBuilder AddAdClicksOrleans(this IHostApplicationBuilder builder)
    {
        var settings = AdClicksSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        if (settings.Cluster.Mode == ClusterMode.CoHosted)
        {
            builder.UseOrleans(silo => silo.UseAdClicksClustering(builder.Configuration).AddAdClicks(builder.Configuration));
        }
        else
        {
            builder.UseOrleansClient(client => client.UseAdClicksClient(builder.Configuration));

            // Analytics read ADX from here; only with DuckDB does a query have to run in the silo that owns the file.
            if (settings.Backends.Aggregates == Backend.Kusto)
            {
                builder.Services.AddKustoAggregateQueries(settings.RequireKusto());
            }
        }

        return builder;
    }
}
