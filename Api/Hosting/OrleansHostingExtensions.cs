using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>The one switch between a co-hosted silo (the embedded default) and a client of a cluster.</summary>
public static class OrleansHostingExtensions
{
    public static IHostApplicationBuilder AddAdClicksOrleans(this IHostApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(AdClicksClusterOptions.Section).Get<AdClicksClusterOptions>() ?? new AdClicksClusterOptions();
        if (cluster.Mode == ClusterMode.CoHosted)
        {
            builder.UseOrleans(silo => silo.UseAdClicksClustering(builder.Configuration).AddAdClicks(builder.Configuration));
        }
        else
        {
            builder.UseOrleansClient(client => client.UseAdClicksClient(builder.Configuration));
        }

        return builder;
    }
}
