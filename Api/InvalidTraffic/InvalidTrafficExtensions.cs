namespace Orleans.AdClicks.Api.InvalidTraffic;

public static class InvalidTrafficExtensions
{
    /// <summary>The invalid-traffic rules the beacons apply, with their options checked at start.</summary>
    public static IServiceCollection AddInvalidTraffic(this IServiceCollection services)
    {
        services.AddOptions<InvalidTrafficOptions>().BindConfiguration(InvalidTrafficOptions.Section).ValidateDataAnnotations()
            .Validate(o => File.Exists(o.ResolvedCrawlerListPath),
                $"{InvalidTrafficOptions.Section}:CrawlerListPath names no file (it defaults to the crawler-user-agents.json shipped with the Api).")
            .ValidateOnStart();
        services.AddSingleton<InvalidTrafficRules>();
        // Loaded as the host starts, so no beacon waits for the list and a bad one fails the start.
        services.AddHostedService(sp => sp.GetRequiredService<InvalidTrafficRules>());
        return services;
    }
}
