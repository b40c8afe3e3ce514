using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Orleans.AdClicks.Hosting;

/// <summary>
/// One storage account, from a <c>ConnectionStrings</c> entry in either of the two forms Aspire's Azure client
/// integrations read: an absolute URI is an endpoint used with a token credential (managed identity,
/// <see cref="DefaultAzureCredential"/>); anything else is a key-bearing connection string (Azurite, development).
/// The endpoint may be the account's table, queue or blob endpoint (<c>https://{account}.table.core.windows.net</c>):
/// the other services' endpoints differ only in that label.
/// </summary>
public sealed class AzureStorageConnection
{
    private static readonly string[] Services = ["blob", "queue", "table", "dfs", "file"];

    private readonly string? _connectionString;
    private readonly Uri? _endpoint;
    private readonly Lazy<TokenCredential> _credential;

    private AzureStorageConnection(string? connectionString, Uri? endpoint, Func<TokenCredential> credential)
    {
        _connectionString = connectionString;
        _endpoint = endpoint;
        _credential = new Lazy<TokenCredential>(credential);
    }

    /// <summary>True for the endpoint form: clients authenticate with the token credential.</summary>
    public bool UsesTokenCredential => _endpoint is not null;

    /// <summary>Reads <paramref name="value"/>, the value of the configuration key <paramref name="key"/> (named in errors).</summary>
    /// <param name="credential">Made on first use of the endpoint form; <see cref="DefaultAzureCredential"/> unless given.</param>
    /// <exception cref="InvalidOperationException">An endpoint that is not a storage service endpoint.</exception>
    public static AzureStorageConnection Parse(string key, string value, Func<TokenCredential>? credential = null)
    {
        credential ??= () => AzureCredentials.Default;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var endpoint))
        {
            return new AzureStorageConnection(value, null, credential);
        }

        if (endpoint.Scheme != Uri.UriSchemeHttps || ServiceLabel(endpoint) < 0 || !string.IsNullOrEmpty(endpoint.Query))
        {
            throw new InvalidOperationException(
                $"{key} is a URI but not a storage endpoint: use https://{{account}}.table.core.windows.net (or .queue., .blob.) with managed identity, or a connection string.");
        }

        return new AzureStorageConnection(null, endpoint, credential);
    }

    public TableServiceClient CreateTableServiceClient(TableClientOptions? options = null) => _endpoint is null
        ? new TableServiceClient(_connectionString, options ?? new TableClientOptions())
        : new TableServiceClient(Endpoint("table"), _credential.Value, options ?? new TableClientOptions());

    public QueueServiceClient CreateQueueServiceClient(QueueClientOptions? options = null) => _endpoint is null
        ? new QueueServiceClient(_connectionString, options ?? new QueueClientOptions())
        : new QueueServiceClient(Endpoint("queue"), _credential.Value, options ?? new QueueClientOptions());

    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions? options = null) => _endpoint is null
        ? new BlobServiceClient(_connectionString, options ?? new BlobClientOptions())
        : new BlobServiceClient(Endpoint("blob"), _credential.Value, options ?? new BlobClientOptions());

    /// <summary>Never the connection string: it holds a key.</summary>
    public override string ToString() => _endpoint?.ToString() ?? "(connection string)";

    private static int ServiceLabel(Uri endpoint)
    {
        var labels = endpoint.Host.Split('.');
        return labels.Length > 2 ? Array.IndexOf(Services, labels[1].ToLowerInvariant()) : -1;
    }

    private Uri Endpoint(string service)
    {
        var labels = _endpoint!.Host.Split('.');
        labels[1] = service;
        return new UriBuilder(_endpoint) { Host = string.Join('.', labels) }.Uri;
    }
}
