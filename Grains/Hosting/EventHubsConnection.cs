using Azure.Core;
using Azure.Messaging.EventHubs;

namespace Orleans.AdClicks.Hosting;

/// <summary>
/// An Event Hubs namespace, from <c>ConnectionStrings:EventHubs</c> in either of two forms: a connection string
/// (<c>Endpoint=sb://{namespace}.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…</c>, optionally
/// with <c>EntityPath</c>), or the namespace's host name alone (<c>{namespace}.servicebus.windows.net</c>), used
/// with a token credential (managed identity, <see cref="AzureCredentials.Default"/>).
/// </summary>
public sealed class EventHubsConnection
{
    /// <summary>The port of Event Hubs' Kafka endpoint.</summary>
    public const int KafkaPort = 9093;

    private readonly string? _connectionString;
    private readonly Lazy<TokenCredential> _credential;

    private EventHubsConnection(string fullyQualifiedNamespace, string? eventHubName, string? connectionString, Func<TokenCredential> credential)
    {
        FullyQualifiedNamespace = fullyQualifiedNamespace;
        EventHubName = eventHubName;
        _connectionString = connectionString;
        _credential = new Lazy<TokenCredential>(credential);
    }

    /// <summary>The namespace's host name, e.g. <c>contoso.servicebus.windows.net</c>.</summary>
    public string FullyQualifiedNamespace { get; }

    /// <summary>The hub a connection string names by <c>EntityPath</c>; null when it names none.</summary>
    public string? EventHubName { get; }

    /// <summary>True for the host-name form: clients authenticate with <see cref="Credential"/>.</summary>
    public bool UsesTokenCredential => _connectionString is null;

    /// <summary>The Kafka bootstrap server of the namespace.</summary>
    public string KafkaBootstrapServers => $"{FullyQualifiedNamespace}:{KafkaPort}";

    /// <summary>The token credential of the host-name form.</summary>
    public TokenCredential Credential => _credential.Value;

    /// <summary>The connection string itself (it holds a key), for clients that take one; null in the host-name form.</summary>
    public string? ConnectionString => _connectionString;

    /// <summary>Reads <paramref name="value"/>, the value of the configuration key <paramref name="key"/> (named in errors, the value never is).</summary>
    /// <param name="credential">Made on first use of the host-name form; <see cref="AzureCredentials.Default"/> unless given.</param>
    /// <exception cref="InvalidOperationException">Neither a connection string nor a host name.</exception>
    public static EventHubsConnection Parse(string key, string value, Func<TokenCredential>? credential = null)
    {
        credential ??= () => AzureCredentials.Default;
        value = value.Trim();
        if (value.Contains('='))
        {
            EventHubsConnectionStringProperties properties;
            try
            {
                properties = EventHubsConnectionStringProperties.Parse(value);
            }
            catch (FormatException)
            {
                throw Refused(key);
            }

            if (!IsNamespaceHost(properties.FullyQualifiedNamespace))
            {
                throw Refused(key);
            }

            if ((properties.SharedAccessKey is null || properties.SharedAccessKeyName is null) && properties.SharedAccessSignature is null)
            {
                throw new InvalidOperationException($"{key} is a connection string without SharedAccessKeyName and SharedAccessKey, or SharedAccessSignature; for managed identity give the namespace's host name alone.");
            }

            return new EventHubsConnection(properties.FullyQualifiedNamespace, properties.EventHubName, value, credential);
        }

        var host = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "sb" or "amqps" or "https" ? uri.Host : value.TrimEnd('/');
        if (!IsNamespaceHost(host))
        {
            throw Refused(key);
        }

        return new EventHubsConnection(host, null, null, credential);
    }

    /// <summary>Never the connection string: it holds a key.</summary>
    public override string ToString() => FullyQualifiedNamespace;

    private static bool IsNamespaceHost(string? host) =>
        !string.IsNullOrEmpty(host) && Uri.CheckHostName(host) == UriHostNameType.Dns && host.Contains('.');

    private static InvalidOperationException Refused(string key) => new(
        $"{key} is neither an Event Hubs connection string (Endpoint=sb://{{namespace}}.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…) nor a namespace host name ({{namespace}}.servicebus.windows.net).");
}
