namespace Orleans.AdClicks.Hosting;

/// <summary>The contract between health checks and the health endpoints both hosts map.</summary>
public static class HealthTags
{
    /// <summary>
    /// <c>/health/ready</c> answers 200 only when every check with this tag is healthy. Tag a check with it when
    /// the process must not take traffic before it passes (the cluster answers, a store has loaded).
    /// </summary>
    public const string Ready = "ready";

}
