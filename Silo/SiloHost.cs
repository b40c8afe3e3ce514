using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.ServiceDefaults;

namespace Orleans.AdClicks.Silo;

/// <summary>
/// The headless silo: the AdClicks grains and backends, service defaults, health endpoints on their own port, and a
/// stop bounded by the shutdown timeout, as the Api's.
/// </summary>
public static class SiloHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = AdClicksSettings.From(builder.Configuration);
        builder.AddServiceDefaults();
        builder.UseOrleans(silo => silo.UseAdClicksClustering(builder.Configuration).AddAdClicks(builder.Configuration));
        builder.AddBoundedShutdown();

        // Only the health endpoints are served, on a port of their own; Urls and ASPNETCORE_URLS do not apply.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (settings.Backends.Cluster == Backend.Embedded)
            {
                kestrel.ListenLocalhost(settings.Cluster.HealthPort);
            }
            else
            {
                kestrel.ListenAnyIP(settings.Cluster.HealthPort);
            }
        });
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapDefaultEndpoints();
        return app;
    }
}
