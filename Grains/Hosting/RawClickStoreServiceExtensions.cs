using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Hosting;

/// <summary>The raw click store on Azure Table Storage, over one or more storage accounts.</summary>
internal static class RawClickStoreServiceExtensions
{
    public const string Section = "AdClicks:RawClicks";

    /// <summary>
    /// Accounts come from "AdClicks:RawClicks:ConnectionStrings:0..n" when set (one account takes about
    /// 20,000 entities/s), else the Azure Storage connection string that Orleans uses.
    /// </summary>
    public static IServiceCollection AddAzureTableRawClickStore(this IServiceCollection services, IConfiguration configuration, string azureStorage)
    {
        var section = configuration.GetSection(Section);
        var accounts = section.GetSection("ConnectionStrings").Get<List<string>>() is { Count: > 0 } configured ? configured : [azureStorage];
        var options = section.Get<AzureTableRawClickStoreOptions>() ?? new AzureTableRawClickStoreOptions();
        services.AddMetrics();
        services.TryAddSingleton<RawClickMetrics>();
        services.AddSingleton(sp => new AzureTableRawClickStore(
            [.. accounts.Select(a => new TableServiceClient(a))],
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AzureTableRawClickStore>>()));
        services.AddSingleton<IRawClickStore>(sp => new MeasuredRawClickStore(
            sp.GetRequiredService<AzureTableRawClickStore>(),
            "azure_table",
            sp.GetRequiredService<RawClickMetrics>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The raw events' retention ("AdClicks:RawClicks:RetentionDays"), the same for both stores.</summary>
    public static TimeSpan Retention(IConfiguration configuration) =>
        TimeSpan.FromDays((configuration.GetSection(Section).Get<AzureTableRawClickStoreOptions>() ?? new AzureTableRawClickStoreOptions()).RetentionDays);
}
