using System.Data.Common;
using Azure.Core;
using Azure.Identity;
using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>
/// An Azure Data Explorer database, from <c>ConnectionStrings:Kusto</c> in the Kusto connection-string form
/// (<c>Data Source=https://{cluster}.{region}.kusto.windows.net;Initial Catalog={database}</c>; keys case-insensitive,
/// <c>Server</c> or <c>Addr</c> for Data Source, <c>Database</c> for Initial Catalog). Tokens come from the process's
/// credential (<see cref="AzureCredentials.Default"/>), or from an application key when
/// <c>Application Client Id</c>, <c>Application Key</c> and <c>Authority Id</c> are given.
/// </summary>
public sealed class KustoConnection
{
    private static readonly string[] DataSourceKeys = ["Data Source", "Server", "Addr", "Address", "Network Address"];
    private static readonly string[] DatabaseKeys = ["Initial Catalog", "Database"];
    private static readonly string[] ClientIdKeys = ["Application Client Id", "AppClientId"];
    private static readonly string[] AppKeyKeys = ["Application Key", "AppKey"];
    private static readonly string[] TenantKeys = ["Authority Id", "AuthorityId", "TenantId"];

    private readonly Lazy<TokenCredential> _credential;

    private KustoConnection(Uri clusterUri, string database, bool usesApplicationKey, Func<TokenCredential> credential)
    {
        ClusterUri = clusterUri;
        Database = database;
        UsesApplicationKey = usesApplicationKey;
        _credential = new Lazy<TokenCredential>(credential);
    }

    /// <summary>The cluster's query endpoint, e.g. <c>https://adclicks.westeurope.kusto.windows.net/</c>.</summary>
    public Uri ClusterUri { get; }

    /// <summary>The database named by Initial Catalog.</summary>
    public string Database { get; }

    /// <summary>True when the connection string carries an application key (a client secret).</summary>
    public bool UsesApplicationKey { get; }

    /// <summary>The scope of the cluster's tokens: <c>{cluster}/.default</c>.</summary>
    public string TokenScope => $"{ClusterUri.GetLeftPart(UriPartial.Authority)}/.default";

    /// <summary>The credential that signs requests to the cluster.</summary>
    public TokenCredential Credential => _credential.Value;

    /// <summary>Reads <paramref name="value"/>, the value of the configuration key <paramref name="key"/> (named in errors, the value never is).</summary>
    /// <param name="credential">Made on first use unless an application key is given; <see cref="AzureCredentials.Default"/> unless given.</param>
    /// <exception cref="InvalidOperationException">Not a Kusto connection string with an https cluster and a database.</exception>
    public static KustoConnection Parse(string key, string value, Func<TokenCredential>? credential = null)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = value;
        }
        catch (ArgumentException)
        {
            throw Refused(key, "is not a Kusto connection string");
        }

        var dataSource = Find(builder, DataSourceKeys);
        if (string.IsNullOrWhiteSpace(dataSource))
        {
            throw Refused(key, "has no Data Source");
        }

        if (!Uri.TryCreate(dataSource.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || uri.AbsolutePath != "/")
        {
            throw Refused(key, "has a Data Source that is no https cluster URI");
        }

        var database = Find(builder, DatabaseKeys);
        if (string.IsNullOrWhiteSpace(database))
        {
            throw Refused(key, "has no Initial Catalog (the database)");
        }

        var clientId = Find(builder, ClientIdKeys);
        var appKey = Find(builder, AppKeyKeys);
        var tenant = Find(builder, TenantKeys);
        var clusterUri = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
        if (clientId is null && appKey is null)
        {
            return new KustoConnection(clusterUri, database.Trim(), false, credential ?? (() => AzureCredentials.Default));
        }

        if (string.IsNullOrWhiteSpace(clientId) || string.IsNullOrWhiteSpace(appKey) || string.IsNullOrWhiteSpace(tenant))
        {
            throw Refused(key, "has an application key without all of Application Client Id, Application Key and Authority Id");
        }

        return new KustoConnection(clusterUri, database.Trim(), true, () => new ClientSecretCredential(tenant, clientId, appKey));
    }

    /// <summary>The cluster and database only: an application key never shows.</summary>
    public override string ToString() => $"{ClusterUri.GetLeftPart(UriPartial.Authority)}/{Database}";

    private static string? Find(DbConnectionStringBuilder builder, string[] keys) =>
        keys.Select(k => builder.TryGetValue(k, out var v) ? v?.ToString() : null).FirstOrDefault(v => v is not null);

    private static InvalidOperationException Refused(string key, string why) => new(
        $"{key} {why}: expected Data Source=https://{{cluster}}.{{region}}.kusto.windows.net;Initial Catalog={{database}}.");
}
