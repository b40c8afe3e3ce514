using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Orleans.AdClicks.Api.Auth;

/// <summary>
/// Authenticates X-Api-Key: the admin key, or an advertiser key. An advertiser key is checked first by its
/// MAC, with no I/O, so a guessed or forged key is refused before any grain call; an authentic one is then
/// checked against the hash its advertiser grain holds (rotation, revocation), with the answer cached briefly.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminKey adminKey,
    ApiKeys apiKeys,
    ApiKeyCache cache,
    IGrainFactory grains,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    public const string UnknownKey = "Unknown API key.";

    public const string OldFormatKey = "This API key has the format issued before keys were signed (\"ak_…\") and is no longer accepted. "
        + "The admin issues the advertiser a new key with POST /api/advertisers/{id}/api-key.";

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

        switch (apiKeys.Check(key, out var advertiserId))
        {
            case ApiKeyCheck.OldFormat:
                return AuthenticateResult.Fail(OldFormatKey);
            case ApiKeyCheck.Forged:
                return AuthenticateResult.Fail(UnknownKey);
        }

        if (!cache.TryGet(hash, out var valid))
        {
            valid = await grains.GetGrain<IAdvertiserGrain>(advertiserId).VerifyApiKeyAsync(hash);
            cache.Set(hash, valid);
        }

        return valid
            ? Success(new Claim(CurrentAdvertiser.AdvertiserClaim, advertiserId.ToString()))
            : AuthenticateResult.Fail(UnknownKey);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // Only the handler's own messages reach the answer, never an exception's.
        var (title, detail) = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message switch
        {
            OldFormatKey => ("Invalid API key", OldFormatKey),
            UnknownKey => ("Invalid API key", $"The {HeaderName} header holds no valid API key."),
            _ => ("API key required", $"Send a valid API key in the {HeaderName} header."),
        };
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await WriteProblemAsync(title, detail);
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
