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
    /// 20,000 entities/s), else the Azure Storage connection that Orleans uses; each in either form.
    /// </summary>
    public static IServiceCollection AddAzureTableRawClickStore(this IServiceCollection services, IConfiguration configuration, AdClicksSettings settings)
    {
        var configured = configuration.GetSection($"{Section}:ConnectionStrings").Get<List<string>>() ?? [];
        var accounts = configured.Count > 0
            ? configured.Select((value, i) => AzureStorageConnection.Parse($"{Section}:ConnectionStrings:{i}", value)).ToList()
            : [settings.RequireAzureStorage()];
        var options = ReadOptions(configuration, settings);
        services.AddMetrics();
        services.TryAddSingleton<RawClickMetrics>();
        services.AddSingleton(sp => new AzureTableRawClickStore(
            [.. accounts.Select(a => a.CreateTableServiceClient())],
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

    /// <summary>The raw events' retention ("AdClicks:RawClicks:RetentionDays"), the same for both stores, checked against the token lifetime.</summary>
    public static TimeSpan Retention(IConfiguration configuration, AdClicksSettings settings) =>
        TimeSpan.FromDays(ReadOptions(configuration, settings).RetentionDays);

    /// <summary>The store's options, its token lifetime the cluster's; refuses a retention that could count a duplicate twice.</summary>
    /// <exception cref="InvalidOperationException">The message names the keys to fix.</exception>
    public static AzureTableRawClickStoreOptions ReadOptions(IConfiguration configuration, AdClicksSettings settings)
    {
        var section = configuration.GetSection(Section);
        if (section["MaxTokenLifetime"] is not null)
        {
            throw new InvalidOperationException($"{Section}:MaxTokenLifetime is gone: the raw store uses {AdClicksSettings.TokenLifetimeKey}, which the Api mints with.");
        }

        var options = section.Get<AzureTableRawClickStoreOptions>() ?? new AzureTableRawClickStoreOptions();
        options.TokenLifetime = settings.TokenLifetime;
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }

        return options;
    }
}
