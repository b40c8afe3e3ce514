using Microsoft.Extensions.Options;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Tokens;
using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>The middleware requests pass, and the startup banner.</summary>
public static class EndpointsExtensions
{
    // WebApplication adds authentication and authorization at the start of the pipeline unless these keys, which
    // UseAuthentication and UseAuthorization set (ASP.NET Core keeps the constants internal), are on it. Used on a
    // branch they are set on the branch's copy only, so they are set here too: else every request authenticates,
    // and before the per-address limit.
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    public static WebApplication UseAdClicksDefaults(this WebApplication app)
    {
        // Fail at startup, not on the first beacon or /api call, when configured keys are unusable.
        app.Services.GetRequiredService<ClickTokens>();
        app.Services.GetRequiredService<ApiKeys>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Only the API has callers: beacons and the dashboard's files are anonymous and skip resolving a key
        // (beacons limit per address in their handler). Limits per address before any key is checked, per caller
        // once its key verified.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api
            .UseAddressRateLimits()
            .UseAuthentication()
            .UseCallerRateLimits()
            .UseAuthorization());
        var pipeline = (IApplicationBuilder)app;
        pipeline.Properties[AuthenticationMiddlewareSetKey] = true;
        pipeline.Properties[AuthorizationMiddlewareSetKey] = true;
        app.Lifetime.ApplicationStarted.Register(() => Announce(app));
        return app;
    }

    private static void Announce(WebApplication app)
    {
        var dataPath = app.Services.GetRequiredService<IOptions<AdClicksOptions>>().Value.DataPath;
        var adminKey = app.Services.GetRequiredService<AdminKey>();
        app.Logger.LogInformation("Orleans.AdClicks is listening on {Urls}; data directory {DataDirectory}", string.Join(", ", app.Urls), dataPath);
        if (adminKey.Generated)
        {
            // Straight to the console, not the log pipeline: a secret has no business in log sinks.
            Console.WriteLine($"Generated admin API key (shown once, kept in {Path.Combine(dataPath, DevSecrets.AdminKeyFile)}): {adminKey.Key}");
        }
    }
}
