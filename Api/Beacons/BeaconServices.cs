using Orleans.AdClicks.Api.InvalidTraffic;
using Orleans.AdClicks.Enrichment;
using Orleans.AdClicks.Api.Tokens;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>What the beacon handlers need, in one singleton: nothing to build per request.</summary>
public sealed class BeaconServices(
    ClickTokens tokens, AdTargets targets, IClickLog clickLog, BeaconRateLimiter limiter, BeaconDeadlines deadlines,
    InvalidTrafficRules invalidTraffic, EventEnricher enricher, TimeProvider time)
{
    public ClickTokens Tokens { get; } = tokens;

    public AdTargets Targets { get; } = targets;

    public IClickLog ClickLog { get; } = clickLog;

    public BeaconRateLimiter Limiter { get; } = limiter;

    public TimeProvider Time { get; } = time;

    public BeaconDeadlines Deadlines { get; } = deadlines;

    public InvalidTrafficRules InvalidTraffic { get; } = invalidTraffic;

    public EventEnricher Enricher { get; } = enricher;
}
