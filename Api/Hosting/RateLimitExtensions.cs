using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// One global limiter, partitioned by <see cref="RateLimitKey"/>: token buckets per API key on /api
/// and per client address on the beacons; health, OpenAPI and the reference page are never limited.
/// A refused request answers 429 problem+json with Retry-After.
/// </summary>
public static class RateLimitExtensions
{
    public static IHostApplicationBuilder AddAdClicksRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, limits) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
            if (limits.Value.Enabled)
            {
                options.GlobalLimiter = CreateLimiter(limits.Value);
            }
        });
        return builder;
    }

    /// <summary>The global limiter; internal for the tests that measure what a request costs.</summary>
    internal static PartitionedRateLimiter<HttpContext> CreateLimiter(RateLimitOptions limits)
    {
        // Created once, so choosing a partition allocates nothing (RateLimitPartition.GetTokenBucketLimiter
        // would wrap the factory in a new closure per request). No bucket runs its own timer: the
        // partitioned limiter replenishes them all from one, and forgets idle ones.
        var api = Bucket(limits.ApiPermitsPerSecond, limits.ApiBurst);
        var beacon = Bucket(limits.BeaconPermitsPerSecond, limits.BeaconBurst);
        Func<RateLimitKey, RateLimiter> apiFactory = _ => new TokenBucketRateLimiter(api);
        Func<RateLimitKey, RateLimiter> beaconFactory = _ => new TokenBucketRateLimiter(beacon);

        return PartitionedRateLimiter.Create<HttpContext, RateLimitKey>(context =>
        {
            var key = RateLimitKey.For(context);
            return key.Scope switch
            {
                RateLimitScope.None => RateLimitPartition.GetNoLimiter(key),
                RateLimitScope.Beacon => RateLimitPartition.Get(key, beaconFactory),
                _ => RateLimitPartition.Get(key, apiFactory),
            };
        });
    }

    private static TokenBucketRateLimiterOptions Bucket(int permitsPerSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = permitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = false,
    };

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"The rate limit was reached; retry after {seconds} s.",
            },
        });
    }
}
