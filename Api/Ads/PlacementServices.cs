using Orleans.AdClicks.Api.Tokens;

namespace Orleans.AdClicks.Api.Ads;

/// <summary>What the placement handlers need, bound in one parameter.</summary>
public sealed class PlacementServices(IGrainFactory grains, ClickTokens tokens, PlacementRateLimiter limiter, TimeProvider time)
{
    public IGrainFactory Grains { get; } = grains;

    public ClickTokens Tokens { get; } = tokens;

    public PlacementRateLimiter Limiter { get; } = limiter;

    public TimeProvider Time { get; } = time;
}
