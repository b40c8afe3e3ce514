using Microsoft.Extensions.Options;
using Orleans.AdClicks.Api.Tokens;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>What the beacon handlers need, bound in one parameter.</summary>
public sealed class BeaconServices(ClickTokens tokens, AdTargets targets, IClickLog clickLog, BeaconRateLimiter limiter, TimeProvider time, IOptions<BeaconOptions> options)
{
    public ClickTokens Tokens { get; } = tokens;

    public AdTargets Targets { get; } = targets;

    public IClickLog ClickLog { get; } = clickLog;

    public BeaconRateLimiter Limiter { get; } = limiter;

    public TimeProvider Time { get; } = time;

    public IOptions<BeaconOptions> Options { get; } = options;
}
