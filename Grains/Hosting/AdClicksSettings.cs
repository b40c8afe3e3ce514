using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Orleans.AdClicks.Storage.Kusto.Client;

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
    AzureStorageConnection? AzureStorage,
    EventHubsConnection? EventHubs,
    EventHubsOptions EventHubsOptions,
    KustoConnection? Kusto)
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
    public bool AnyAzureService => AzureServices.Any();

    /// <summary>The concerns that run on an Azure service, each with its key, for messages that name them.</summary>
    public IEnumerable<(string Key, Backend Backend)> AzureServices => Backends.All.Where(b => b.Backend != Backend.Embedded);

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
        var eventHubs = ReadEventHubs(configuration, backends, azureStorage, out var eventHubsOptions);
        var kustoKey = AdClicksBackends.ConnectionKey(Backend.Kusto);
        var kusto = backends.Aggregates == Backend.Kusto ? KustoConnection.Parse(kustoKey, configuration[kustoKey]!) : null;
        var settings = new AdClicksSettings(options.DataPath, cluster, backends, lifetime, azureStorage, eventHubs, eventHubsOptions, kusto);

        // Both raw stores keep AdClicks:RawClicks:RetentionDays of raw events. Refused here, not when the store
        // is first used, and in the Api too: it mints the tokens.
        RawClickStoreServiceExtensions.ReadOptions(configuration, settings);
        return settings;
    }

    /// <summary>The connection of a concern that runs on Azure Storage.</summary>
    public AzureStorageConnection RequireAzureStorage() =>
        AzureStorage ?? throw new InvalidOperationException($"{AdClicksBackends.ConnectionKey(Backend.AzureStorage)} is not set.");

    /// <summary>The connection of aggregates on Azure Data Explorer.</summary>
    public KustoConnection RequireKusto() =>
        Kusto ?? throw new InvalidOperationException($"{AdClicksBackends.ConnectionKey(Backend.Kusto)} is not set.");

    /// <summary>The connection of a click log on Event Hubs.</summary>
    public EventHubsConnection RequireEventHubs() =>
        EventHubs ?? throw new InvalidOperationException($"{AdClicksBackends.ConnectionKey(Backend.EventHubs)} is not set.");

    private static EventHubsConnection? ReadEventHubs(
        IConfiguration configuration, AdClicksBackends backends, AzureStorageConnection? azureStorage, out EventHubsOptions options)
    {
        var section = configuration.GetSection(EventHubsOptions.Section);
        options = section.Get<EventHubsOptions>() ?? new EventHubsOptions();
        if (backends.ClickLog != Backend.EventHubs)
        {
            return null;
        }

        var key = AdClicksBackends.ConnectionKey(Backend.EventHubs);
        var connection = EventHubsConnection.Parse(key, configuration[key]!);
        var configuredHub = section[nameof(EventHubsOptions.Hub)];
        if (connection.EventHubName is { } entityPath)
        {
            if (configuredHub is not null && !string.Equals(configuredHub, entityPath, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"{key} names the hub '{entityPath}' (EntityPath) but {EventHubsOptions.Section}:{nameof(EventHubsOptions.Hub)} is '{configuredHub}': remove one or make them agree.");
            }

            options.Hub = entityPath;
        }

        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new(options), problems, validateAllProperties: true))
        {
            throw new InvalidOperationException($"{EventHubsOptions.Section}: {string.Join(" ", problems.Select(p => p.ErrorMessage))}");
        }

        // The silos' checkpoints are rows in an Azure table (there is no embedded checkpointer).
        if (azureStorage is null)
        {
            throw new InvalidOperationException(
                $"{AdClicksBackends.Key(nameof(AdClicksBackends.ClickLog))} is EventHubs, whose checkpoints are kept in Azure Table Storage: set {AdClicksBackends.ConnectionKey(Backend.AzureStorage)} too.");
        }

        return connection;
    }

    /// <summary>The Azure queues of the click stream, one per partition.</summary>
    public List<string> QueueNames() => [.. Enumerable.Range(0, Cluster.StreamPartitions).Select(i => $"adclicks-clicks-{i}")];
}
