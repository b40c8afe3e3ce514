using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// Rate limits: ASP.NET Core's limiter on /api only, partitioned by <see cref="RateLimitKey"/> (token
/// buckets per API key, or per client address without one); the beacons have their own lock-free
/// <see cref="Beacons.BeaconRateLimiter"/>, since the framework's limiter cost them a fifth of their
/// throughput. Health, OpenAPI and the reference page are never limited. A refused request answers 429
/// problem+json with Retry-After.
/// </summary>
public static class RateLimitExtensions
{
    public static IHostApplicationBuilder AddAdClicksRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Beacons.BeaconRateLimiter>();
        builder.Services.AddSingleton<Ads.PlacementRateLimiter>();
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
        Func<RateLimitKey, RateLimiter> apiFactory = _ => new TokenBucketRateLimiter(api);

        return PartitionedRateLimiter.Create<HttpContext, RateLimitKey>(context =>
        {
            var key = RateLimitKey.For(context);
            return key.Scope == RateLimitScope.None ? RateLimitPartition.GetNoLimiter(key) : RateLimitPartition.Get(key, apiFactory);
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

    /// <summary>Only /api passes the framework's limiter; the beacons check theirs in the handler.</summary>
    public static WebApplication UseAdClicksRateLimits(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseRateLimiter());
        return app;
    }

    /// <summary>A 429 problem saying when to retry (whole seconds, at least one).</summary>
    public static ProblemHttpResult TooManyRequests(HttpResponse response, TimeSpan retryAfter)
    {
        var seconds = RetryAfterSeconds(retryAfter);
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"The rate limit was reached; retry after {seconds} s.");
    }

    private static int RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        await TooManyRequests(http.Response, retryAfter).ExecuteAsync(http);
    }
}
