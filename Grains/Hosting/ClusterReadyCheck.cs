using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Orleans.AdClicks.Hosting;

/// <summary>
/// Ready when a grain call round-trips through the cluster and names an active silo. The management grain
/// answers from membership it holds in memory: a probe every few seconds costs no storage read and no
/// application state.
/// </summary>
public sealed class ClusterReadyCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Timeout, cancellationToken);
            return silos.Count > 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("No silo is active.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The cluster does not answer.", ex);
        }
    }
}
