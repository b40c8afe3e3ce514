namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>The way to Azurite through proxies a test can cut and restore.</summary>
public sealed class StorageNetwork(string connectionString, TcpProxy[] proxies) : IDisposable
{
    public string ConnectionString { get; } = connectionString;

    public void Cut() => Array.ForEach(proxies, p => p.Cut());

    /// <summary>Storage that accepts connections and never answers: requests wait for their timeouts.</summary>
    public void Stall() => Array.ForEach(proxies, p => p.Stall());

    public void Restore() => Array.ForEach(proxies, p => p.Restore());

    public void Dispose() => Cut();
}
