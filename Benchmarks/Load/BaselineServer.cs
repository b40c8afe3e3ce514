namespace Orleans.AdClicks.Benchmarks.Load;

/// <summary>
/// The baseline for the beacon: a bare minimal-API endpoint that answers /c/{token} with 302
/// and does nothing else, run on the same machine under the same wrk load as the real Api.
/// </summary>
public static class BaselineServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/c/{token}", (string token) => TypedResults.Redirect("https://example.com/landing"));
        await app.RunAsync();
        return 0;
    }
}
