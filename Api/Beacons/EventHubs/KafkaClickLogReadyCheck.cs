using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orleans.AdClicks.Api.Beacons.EventHubs;

/// <summary>
/// Not ready once the click log's producer failed for good: every beacon would answer 503, so the instance leaves
/// the load balancer and says why on <c>/health/ready</c> until it is restarted.
/// </summary>
internal sealed class KafkaClickLogReadyCheck(KafkaClickLog log) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(log.FatalError is { } error
            ? HealthCheckResult.Unhealthy($"The click log's Kafka producer failed for good ({error.Code}: {error.Reason}); restart the process once the cause is fixed.")
            : HealthCheckResult.Healthy());
}
