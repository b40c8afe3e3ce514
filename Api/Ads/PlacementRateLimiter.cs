using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Hosting;

namespace Orleans.AdClicks.Api.Ads;

/// <summary>
/// Placement's own limit, counted per token minted (a batch of 1,000 takes 1,000 permits): a token bucket
/// per authenticated caller (each advertiser, and the admin), apart from the per-call /api limit.
/// Keyed by who the API key proved to be, so unverified keys never get a bucket of their own.
/// </summary>
public sealed class PlacementRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<Guid>? _limiter;

    public PlacementRateLimiter(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        if (!limits.Enabled)
        {
            return;
        }

        // No bucket runs its own timer: the partitioned limiter replenishes them all from one, and forgets idle ones.
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.PlacementBurst,
            TokensPerPeriod = limits.PlacementPermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = false,
        };
        _limiter = PartitionedRateLimiter.Create<Guid, Guid>(caller => RateLimitPartition.GetTokenBucketLimiter(caller, _ => bucket));
    }

    /// <summary>Null when <paramref name="tokens"/> may be minted now, else how long to wait.</summary>
    public TimeSpan? TryAcquire(CurrentAdvertiser caller, int tokens)
    {
        if (_limiter is null)
        {
            return null;
        }

        // The admin's bucket is the empty id, which no advertiser has.
        using var lease = _limiter.AttemptAcquire(caller.IsAdmin ? Guid.Empty : caller.AdvertiserId ?? Guid.Empty, tokens);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
    }

    public void Dispose() => _limiter?.Dispose();
}
