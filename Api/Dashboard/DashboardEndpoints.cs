using Microsoft.Net.Http.Headers;

namespace Orleans.AdClicks.Api.Dashboard;

/// <summary>
/// The analytics dashboard: static files under wwwroot served by the Api itself (compressed and
/// fingerprinted at build time), the page at "/". The page holds no data; every number comes from
/// /api/analytics with the API key the analyst signs in with.
/// </summary>
public static class DashboardEndpoints
{
    public const string PagePath = "index.html";

    /// <summary>Only this origin's scripts, styles and API: an injected script or a framing page gets nothing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        // The headers go on the page's own endpoints, so no other request (a beacon above all) pays for them.
        app.MapStaticAssets().Add(endpoint =>
        {
            var serve = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = context =>
            {
                AddSecurityHeaders(context.Response);
                return serve(context);
            };
        });
        app.MapGet("/", Page).ExcludeFromDescription();
        return app;
    }

    private static void AddSecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }

    private static IResult Page(IWebHostEnvironment environment, HttpResponse response)
    {
        var page = environment.WebRootFileProvider.GetFileInfo(PagePath);
        if (!page.Exists)
        {
            return TypedResults.Problem("The dashboard's files are missing from this build (wwwroot/index.html).", statusCode: StatusCodes.Status404NotFound);
        }

        AddSecurityHeaders(response);
        // The page names its assets by path, so it must be read fresh after an upgrade.
        response.Headers.CacheControl = "no-cache";
        return TypedResults.Stream(page.CreateReadStream(), "text/html; charset=utf-8", lastModified: page.LastModified);
    }
}
