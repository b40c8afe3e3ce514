using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Api.Tokens;
using Orleans.AdClicks.Enrichment;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Api.Beacons;

/// <summary>The anonymous beacons: GET /c/{token} (click, 302) and GET /v/{token} (impression, 204).</summary>
public static class BeaconsApi
{
    public static IEndpointRouteBuilder MapBeacons(this IEndpointRouteBuilder app)
    {
        app.MapGet("/c/{token}", ClickAsync).WithName("Click").WithSummary("Counts a click and redirects to the ad's target URL.");
        app.MapGet("/v/{token}", ViewAsync).WithName("View").WithSummary("Counts an impression.");
        return app;
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> ClickAsync(string token, HttpContext context, BeaconServices services)
    {
        var (problem, target) = await AcceptAsync(AdEventKind.Click, token, context, services);
        return problem is null ? TypedResults.Redirect(target!) : problem;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ViewAsync(string token, HttpContext context, BeaconServices services)
    {
        var (problem, _) = await AcceptAsync(AdEventKind.Impression, token, context, services);
        return problem is null ? TypedResults.NoContent() : problem;
    }

    /// <summary>Verifies the token, finds the ad and appends the event; a problem when any step refuses.</summary>
    private static async Task<(ProblemHttpResult? Problem, string? TargetUrl)> AcceptAsync(
        AdEventKind kind, string text, HttpContext context, BeaconServices services)
    {
        // Beacon answers are per impression: never let a browser or proxy replay one from cache.
        context.Response.Headers.CacheControl = "no-store";
        if (!services.Limiter.TryAcquire(context, out var retryAfter))
        {
            return (RateLimitExtensions.TooManyRequests(context.Response, retryAfter), null);
        }

        if (ClickTokenCodec.TryDecode(text, services.Tokens.Keys, out var token) != TokenVerdict.Valid)
        {
            return (TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid token",
                detail: "The token is malformed or its signature does not verify."), null);
        }

        // One deadline for the whole beacon, target lookup and append: it answers 503 rather than hold a
        // browser while a grain or the log is slow (see StreamClickLog.AppendAsync for what happens to its event).
        var deadline = services.Deadlines.Next();
        string? targetUrl;
        try
        {
            var lookup = services.Targets.GetTargetUrlAsync(token!.AdId);
            targetUrl = lookup.IsCompletedSuccessfully ? lookup.Result : await lookup.AsTask().WaitAsync(deadline);
        }
        catch (Exception)
        {
            // Out of time, or the ad's grain failed: the browser may try again.
            return (Unavailable(), null);
        }

        if (targetUrl is null)
        {
            return (TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown ad",
                detail: "The token names an ad that does not exist."), null);
        }

        try
        {
            await services.ClickLog.AppendAsync(NewEvent(kind, token, context, services), deadline);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ClickLogUnavailableException)
        {
            return (Unavailable(), null);
        }

        return (null, targetUrl);
    }

    /// <summary>
    /// The event, classified and enriched once here: the country from the full address, which the event then keeps
    /// only truncated.
    /// </summary>
    private static AdEvent NewEvent(AdEventKind kind, ClickToken token, HttpContext context, BeaconServices services)
    {
        var now = services.Time.GetUtcNow();
        var userAgent = Truncate(context.Request.Headers.UserAgent.ToString(), 512);
        var client = context.Connection.RemoteIpAddress;
        var clientIp = ClientAddress.Truncate(client);
        var invalid = services.InvalidTraffic.Classify(kind, token, userAgent, clientIp, now);
        var enrichment = services.Enricher.Enrich(userAgent, client);
        return new(kind, token.ImpressionId, token.AdId, token.CampaignId, now, token.IssuedAt, token.ExpiresAt,
            Billable: invalid == InvalidTrafficReason.None, userAgent, clientIp, invalid,
            enrichment.Device, enrichment.Browser, enrichment.Os, enrichment.Country);
    }

    private static ProblemHttpResult Unavailable() => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "Try again",
        detail: "The event could not be recorded right now.");

    private static string? Truncate(string value, int maxLength) =>
        value.Length == 0 ? null : value.Length <= maxLength ? value : value[..maxLength];
}
