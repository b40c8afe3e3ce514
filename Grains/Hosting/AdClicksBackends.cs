using Microsoft.Extensions.Configuration;

namespace Orleans.AdClicks.Hosting;

/// <summary>
/// The "AdClicks:Backends" section: which service each concern runs on. A concern's key wins; without it,
/// the first service the concern accepts whose connection string is set, else <see cref="Backend.Embedded"/>.
/// </summary>
/// <param name="ClickLog">The click log and the Orleans stream the silos pull it from.</param>
/// <param name="RawClicks">The raw click store, the dedup registry.</param>
/// <param name="Aggregates">The minute counts analysts query.</param>
/// <param name="Cluster">Cluster membership, grain state and reminders.</param>
public sealed record AdClicksBackends(Backend ClickLog, Backend RawClicks, Backend Aggregates, Backend Cluster)
{
    public const string Section = "AdClicks:Backends";

    // Each concern's services, in the order a default is chosen by the connection strings set.
    // Adding a backend is a line here and a line in ConnectionKeys, plus its wiring where the concern is wired.
    private static readonly IReadOnlyDictionary<string, Backend[]> Accepted = new Dictionary<string, Backend[]>(StringComparer.Ordinal)
    {
        [nameof(ClickLog)] = [Backend.EventHubs, Backend.AzureStorage, Backend.Embedded],
        [nameof(RawClicks)] = [Backend.AzureStorage, Backend.Embedded],
        [nameof(Aggregates)] = [Backend.Kusto, Backend.Embedded],
        [nameof(Cluster)] = [Backend.AzureStorage, Backend.Embedded],
    };

    /// <summary>The <c>ConnectionStrings</c> entry each non-embedded backend connects with.</summary>
    public static readonly IReadOnlyDictionary<Backend, string> ConnectionKeys = new Dictionary<Backend, string>
    {
        [Backend.AzureStorage] = "AzureStorage",
        [Backend.EventHubs] = "EventHubs",
        [Backend.Kusto] = "Kusto",
    };

    /// <summary>Every concern with its backend, for checks that treat them alike.</summary>
    public IEnumerable<(string Key, Backend Backend)> All =>
    [
        (Key(nameof(ClickLog)), ClickLog),
        (Key(nameof(RawClicks)), RawClicks),
        (Key(nameof(Aggregates)), Aggregates),
        (Key(nameof(Cluster)), Cluster),
    ];

    /// <summary>Reads each concern's choice and refuses one the concern does not accept or whose connection string is missing.</summary>
    /// <exception cref="InvalidOperationException">The message names the key to fix.</exception>
    public static AdClicksBackends From(IConfiguration configuration) => new(
        Choose(configuration, nameof(ClickLog)),
        Choose(configuration, nameof(RawClicks)),
        Choose(configuration, nameof(Aggregates)),
        Choose(configuration, nameof(Cluster)));

    /// <summary>The configuration key of a concern, e.g. "AdClicks:Backends:RawClicks".</summary>
    public static string Key(string concern) => $"{Section}:{concern}";

    /// <summary>The full configuration key of a backend's connection string, e.g. "ConnectionStrings:AzureStorage".</summary>
    public static string ConnectionKey(Backend backend) => $"ConnectionStrings:{ConnectionKeys[backend]}";

    private static Backend Choose(IConfiguration configuration, string concern)
    {
        var accepted = Accepted[concern];
        var key = Key(concern);
        var configured = configuration[key];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return accepted.FirstOrDefault(b => b == Backend.Embedded || IsConnected(configuration, b));
        }

        if (!Enum.TryParse<Backend>(configured, ignoreCase: true, out var backend) || !Enum.IsDefined(backend) || !accepted.Contains(backend))
        {
            throw new InvalidOperationException($"{key} is '{configured}'; it accepts {string.Join(", ", accepted.Order())}.");
        }

        if (backend != Backend.Embedded && !IsConnected(configuration, backend))
        {
            throw new InvalidOperationException($"{key} is {backend}, but {ConnectionKey(backend)} is not set.");
        }

        return backend;
    }

    private static bool IsConnected(IConfiguration configuration, Backend backend) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionKeys[backend]));
}
