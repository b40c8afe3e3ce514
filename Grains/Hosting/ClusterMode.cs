namespace Orleans.AdClicks.Hosting;

/// <summary>Whether the Api hosts a silo or is a client of one.</summary>
public enum ClusterMode
{
    CoHosted,
    Client,
}
