using System.ComponentModel.DataAnnotations;

namespace Orleans.AdClicks.Hosting;

/// <summary>The "AdClicks:Cluster" section: how this process joins the Orleans cluster.</summary>
public sealed class AdClicksClusterOptions
{
    public const string Section = "AdClicks:Cluster";

    /// <summary>CoHosted: the Api runs a silo in its own process. Client: it connects to silos (dotnet run --project Silo).</summary>
    public ClusterMode Mode { get; set; } = ClusterMode.CoHosted;

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Where the headless silo (dotnet run --project Silo) serves /health/live and /health/ready: on localhost when
    /// the cluster is embedded, on every address when it runs on Azure Storage (as its silo and gateway ports).
    /// </summary>
    [Range(1, 65535)]
    public int HealthPort { get; set; } = 5100;

    /// <summary>How many partitions (queues) the click stream has; each is pulled by one agent.</summary>
    [Range(1, 1024)]
    public int StreamPartitions { get; set; } = 4;
}
