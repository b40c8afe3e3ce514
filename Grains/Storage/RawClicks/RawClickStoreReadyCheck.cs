using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// Ready once the embedded raw click store has replayed its segments: before that, appends and counts wait,
/// and a load balancer should not send beacons here. Tagged "ready" (see <c>/health/ready</c>).
/// </summary>
internal sealed class RawClickStoreReadyCheck(EmbeddedRawClickStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var loaded = store.Loaded;
        return Task.FromResult(loaded.Status switch
        {
            TaskStatus.RanToCompletion => HealthCheckResult.Healthy("The raw click store has replayed its segments."),
            TaskStatus.Faulted => new HealthCheckResult(context.Registration.FailureStatus, "The raw click store could not replay its segments.", loaded.Exception?.GetBaseException()),
            _ => new HealthCheckResult(context.Registration.FailureStatus, "The raw click store is replaying its segments."),
        });
    }
}
