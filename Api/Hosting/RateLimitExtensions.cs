using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// Rate limits: ASP.NET Core's limiter on /api only, twice. First per client address, before
/// authentication, so a flood of made-up keys from one address is refused there and costs nothing more;
/// then per verified caller (<see cref="RateLimitKey.ForCaller"/>), after authentication, so keys are told
/// apart only once they verified. The beacons have their own lock-free <see cref="Beacons.BeaconRateLimiter"/>,
/// since the framework's limiter cost them a fifth of their throughput. Health, OpenAPI and the reference
/// page are never limited. A refused request answers 429 problem+json with Retry-After.
/// </summary>
public static class RateLimitExtensions
{
    public static IHostApplicationBuilder AddAdClicksRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Beacons.BeaconRateLimiter>();
        builder.Services.AddSingleton<Ads.PlacementRateLimiter>();
        builder.Services.AddRateLimiter(_ => { });
        return builder;
    }

    /// <summary>The per-address limiter; internal for the tests that measure what a request costs.</summary>
    internal static PartitionedRateLimiter<HttpContext> CreateAddressLimiter(RateLimitOptions limits) =>
        CreateLimiter(RateLimitKey.ForAddress, limits.ApiAddressPermitsPerSecond, limits.ApiAddressBurst);

    /// <summary>The per-caller limiter.</summary>
    internal static PartitionedRateLimiter<HttpContext> CreateCallerLimiter(RateLimitOptions limits) =>
        CreateLimiter(RateLimitKey.ForCaller, limits.ApiPermitsPerSecond, limits.ApiBurst);

    private static PartitionedRateLimiter<HttpContext> CreateLimiter(Func<HttpContext, RateLimitKey> partition, int permitsPerSecond, int burst)
    {
        // Created once, so choosing a partition allocates nothing (RateLimitPartition.GetTokenBucketLimiter
        // would wrap the factory in a new closure per request). No bucket runs its own timer: the
        // partitioned limiter replenishes them all from one, and forgets idle ones.
        var bucket = Bucket(permitsPerSecond, burst);
        Func<RateLimitKey, RateLimiter> factory = _ => new TokenBucketRateLimiter(bucket);

        return PartitionedRateLimiter.Create<HttpContext, RateLimitKey>(context =>
        {
            var key = partition(context);
            return key.Scope == RateLimitScope.None ? RateLimitPartition.GetNoLimiter(key) : RateLimitPartition.Get(key, factory);
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

    /// <summary>The per-address limit, for the API only (the beacons check theirs in the handler); goes before authentication.</summary>
    public static IApplicationBuilder UseAddressRateLimits(this IApplicationBuilder api) => UseLimiter(api, CreateAddressLimiter);

    /// <summary>The per-caller limit, for the API only; goes after authentication and before authorization.</summary>
    public static IApplicationBuilder UseCallerRateLimits(this IApplicationBuilder api) => UseLimiter(api, CreateCallerLimiter);

    private static IApplicationBuilder UseLimiter(IApplicationBuilder api, Func<RateLimitOptions, PartitionedRateLimiter<HttpContext>> create)
    {
        var limits = api.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        return limits.Enabled
            ? api.UseRateLimiter(new RateLimiterOptions
            {
                GlobalLimiter = create(limits),
                RejectionStatusCode = StatusCodes.Status429TooManyRequests,
                OnRejected = RejectAsync,
            })
            : api;
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
