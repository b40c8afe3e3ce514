using Microsoft.Extensions.Options;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Tokens;
using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>The middleware every request passes, and the startup banner.</summary>
public static class EndpointsExtensions
{
    public static WebApplication UseAdClicksDefaults(this WebApplication app)
    {
        // Fail at startup, not on the first beacon or /api call, when configured keys are unusable.
        app.Services.GetRequiredService<ClickTokens>();
        app.Services.GetRequiredService<ApiKeys>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Per address before any key is checked, per caller once its key verified.
        app.UseAddressRateLimits();
        app.UseAuthentication();
        app.UseCallerRateLimits();
        app.UseAuthorization();
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
