using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Orleans.AdClicks.Api.Auth;

/// <summary>
/// Authenticates X-Api-Key: the admin key, or an advertiser key checked against the hash its
/// advertiser grain holds. Verified keys are cached briefly so a request costs no grain call.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminKey adminKey,
    IGrainFactory grains,
    IMemoryCache cache,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    // Also how long a rotated or revoked key keeps working.
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[HeaderName].ToString();
        if (key.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var hash = ApiKeys.Hash(key);
        if (CryptographicOperations.FixedTimeEquals(hash, adminKey.Hash))
        {
            return Success(new Claim(ClaimTypes.Role, CurrentAdvertiser.AdminRole));
        }

        if (!ApiKeys.TryParseAdvertiser(key, out var advertiserId))
        {
            return AuthenticateResult.Fail("Unknown API key.");
        }

        var cacheKey = Convert.ToHexString(hash);
        if (!cache.TryGetValue(cacheKey, out bool valid))
        {
            valid = await grains.GetGrain<IAdvertiserGrain>(advertiserId).VerifyApiKeyAsync(hash);
            cache.Set(cacheKey, valid, CacheFor);
        }

        return valid
            ? Success(new Claim(CurrentAdvertiser.AdvertiserClaim, advertiserId.ToString()))
            : AuthenticateResult.Fail("Unknown API key.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return WriteProblemAsync("API key required", $"Send a valid API key in the {HeaderName} header.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync("Forbidden", "This API key may not do that.");
    }

    private Task WriteProblemAsync(string title, string detail) => problems.WriteAsync(new ProblemDetailsContext
    {
        HttpContext = Context,
        ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
    }).AsTask();

    private AuthenticateResult Success(Claim claim) => AuthenticateResult.Success(
        new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([claim], SchemeName)), SchemeName));
}
