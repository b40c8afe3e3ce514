using Microsoft.Extensions.Configuration;

namespace Orleans.AdClicks.Hosting;

/// <summary>
/// The configuration every host reads once, in one place (silo, co-hosted Api, Api as a client): data directory,
/// cluster options, the token lifetime, and which backend each concern runs on. <see cref="From"/> refuses a
/// combination that cannot work or could count twice, naming the keys to fix.
/// </summary>
public sealed record AdClicksSettings(
    string DataPath,
    AdClicksClusterOptions Cluster,
    AdClicksBackends Backends,
    TimeSpan TokenLifetime,
    AzureStorageConnection? AzureStorage)
{
    public const string ServiceId = "adclicks";
    public const string ClusterId = "adclicks";

    /// <summary>How long a token can be counted after the ad was shown: the Api mints with it, raw stores keep ids for it.</summary>
    public const string TokenLifetimeKey = "AdClicks:Tokens:Lifetime";

    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromDays(1);

    /// <summary>
    /// True when any concern runs on an Azure service: then several processes share the cluster, and secrets
    /// one process generates for itself (signing keys, admin key) would not be known to the others.
    /// </summary>
    public bool AnyAzureService => Backends.All.Any(b => b.Backend != Backend.Embedded);

    /// <exception cref="InvalidOperationException">A setting that cannot work; the message names its key.</exception>
    public static AdClicksSettings From(IConfiguration configuration)
    {
        var options = configuration.GetSection(AdClicksOptions.Section).Get<AdClicksOptions>() ?? new AdClicksOptions();
        var cluster = configuration.GetSection(AdClicksClusterOptions.Section).Get<AdClicksClusterOptions>() ?? new AdClicksClusterOptions();
        var backends = AdClicksBackends.From(configuration);
        var lifetime = configuration.GetValue<TimeSpan?>(TokenLifetimeKey) ?? DefaultTokenLifetime;
        if (lifetime <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{TokenLifetimeKey} must be positive, not {lifetime}.");
        }

        var azureStorageKey = AdClicksBackends.ConnectionKey(Backend.AzureStorage);
        var azureStorage = configuration[azureStorageKey] is { } value && !string.IsNullOrWhiteSpace(value)
            ? AzureStorageConnection.Parse(azureStorageKey, value)
            : null;
        var settings = new AdClicksSettings(options.DataPath, cluster, backends, lifetime, azureStorage);

        // Both raw stores keep AdClicks:RawClicks:RetentionDays of raw events. Refused here, not when the store
        // is first used, and in the Api too: it mints the tokens.
        RawClickStoreServiceExtensions.ReadOptions(configuration, settings);
        return settings;
    }

    /// <summary>The connection of a concern that runs on Azure Storage.</summary>
    public AzureStorageConnection RequireAzureStorage() =>
        AzureStorage ?? throw new InvalidOperationException($"{AdClicksBackends.ConnectionKey(Backend.AzureStorage)} is not set.");

    /// <summary>The Azure queues of the click stream, one per partition.</summary>
    public List<string> QueueNames() => [.. Enumerable.Range(0, Cluster.StreamPartitions).Select(i => $"adclicks-clicks-{i}")];
}
