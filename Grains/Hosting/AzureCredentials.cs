using Azure.Core;
using Azure.Identity;

namespace Orleans.AdClicks.Hosting;

/// <summary>The token credential of every Azure connection in the endpoint form (managed identity in Azure).</summary>
public static class AzureCredentials
{
    // One credential for the whole process, so every client shares its token cache.
    private static readonly Lazy<TokenCredential> Shared = new(() => new DefaultAzureCredential());

    /// <summary>The process's <see cref="DefaultAzureCredential"/>, made on first use.</summary>
    public static TokenCredential Default => Shared.Value;
}
