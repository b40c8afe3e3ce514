using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Api.Auth;

/// <summary>X-Api-Key authentication and the policies /api endpoints use.</summary>
public static class AuthExtensions
{
    public const string AdminPolicy = "Admin";

    public static IHostApplicationBuilder AddApiKeyAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton(sp =>
        {
            var configured = sp.GetRequiredService<IConfiguration>()["AdClicks:Auth:AdminKey"];
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return new AdminKey(configured, generated: false);
            }

            var key = DevSecrets.LoadOrCreateAdminKey(sp.GetRequiredService<IOptions<AdClicksOptions>>().Value.DataPath, out var generated);
            return new AdminKey(key, generated);
        });
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(CurrentAdvertiser.AdminRole));
        return builder;
    }
}
