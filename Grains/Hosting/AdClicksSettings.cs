using Microsoft.Extensions.Configuration;

namespace Orleans.AdClicks.Hosting;

/// <summary>The configuration every host reads once: data directory, cluster options, which backends are configured.</summary>
internal sealed record AdClicksSettings(string DataPath, AdClicksClusterOptions Cluster, string? AzureStorage)
{
    public const string AzureStorageKey = "AzureStorage";
    public const string ServiceId = "adclicks";
    public const string ClusterId = "adclicks";

    public static AdClicksSettings From(IConfiguration configuration)
    {
        var options = configuration.GetSection(AdClicksOptions.Section).Get<AdClicksOptions>() ?? new AdClicksOptions();
        var cluster = configuration.GetSection(AdClicksClusterOptions.Section).Get<AdClicksClusterOptions>() ?? new AdClicksClusterOptions();
        var azureStorage = configuration.GetConnectionString(AzureStorageKey);
        return new AdClicksSettings(options.DataPath, cluster, string.IsNullOrWhiteSpace(azureStorage) ? null : azureStorage);
    }

    /// <summary>The Azure queues of the click stream, one per partition.</summary>
    public List<string> QueueNames() => [.. Enumerable.Range(0, Cluster.StreamPartitions).Select(i => $"adclicks-clicks-{i}")];
}
