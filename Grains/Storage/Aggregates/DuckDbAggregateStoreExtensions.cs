using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orleans.AdClicks.Storage.Aggregates;

/// <summary>Registers the DuckDB aggregate store as both sides of the aggregate store.</summary>
public static class DuckDbAggregateStoreExtensions
{
    /// <summary>
    /// One store on the file at <paramref name="path"/> serves the writer and the queries, so a query sees
    /// every committed write of this process; a co-hosted Api resolves the queries from the same container.
    /// </summary>
    public static IServiceCollection AddDuckDbAggregates(this IServiceCollection services, string path)
    {
        services.AddSingleton(sp => DuckDbAggregateStore.Open(path, sp.GetRequiredService<ILogger<DuckDbAggregateStore>>()));
        services.AddSingleton<IMinuteCountWriter>(sp => sp.GetRequiredService<DuckDbAggregateStore>());
        services.AddSingleton<IAggregateQueries>(sp => sp.GetRequiredService<DuckDbAggregateStore>());
        services.AddSingleton<IHourBreakdownWriter>(sp => sp.GetRequiredService<DuckDbAggregateStore>());
        services.AddSingleton<IBreakdownQueries>(sp => sp.GetRequiredService<DuckDbAggregateStore>());
        return services;
    }
}
