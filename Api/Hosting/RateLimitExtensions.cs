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

    private static PartitionedRateLimiter<HttpContext> CreateLimiter(RateLimitOptions limits)
    {
        // Created once: a request only computes its key; a bucket is made the first time a key is seen.
        var api = Bucket(limits.ApiPermitsPerSecond, limits.ApiBurst);
        var beacon = Bucket(limits.BeaconPermitsPerSecond, limits.BeaconBurst);
        Func<RateLimitKey, TokenBucketRateLimiterOptions> apiFactory = _ => api;
        Func<RateLimitKey, TokenBucketRateLimiterOptions> beaconFactory = _ => beacon;

        return PartitionedRateLimiter.Create<HttpContext, RateLimitKey>(context =>
        {
            var key = RateLimitKey.For(context);
            return key.Scope switch
            {
                RateLimitScope.None => RateLimitPartition.GetNoLimiter(key),
                RateLimitScope.Beacon => RateLimitPartition.GetTokenBucketLimiter(key, beaconFactory),
                _ => RateLimitPartition.GetTokenBucketLimiter(key, apiFactory),
            };
        });
    }

    private static TokenBucketRateLimiterOptions Bucket(int permitsPerSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = permitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
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
