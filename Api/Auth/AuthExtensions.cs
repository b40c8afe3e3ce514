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
        // Here, not on first use: a shared deployment without configured secrets must not start at all.
        DevSecrets.ThrowIfGeneratedWouldBeShared(AdClicksSettings.From(builder.Configuration), builder.Configuration);
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        builder.Services.AddSingleton(sp =>
        {
            var configured = sp.GetRequiredService<IOptions<AuthOptions>>().Value.AdminKey;
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return new AdminKey(configured, generated: false);
            }

            var key = DevSecrets.LoadOrCreateAdminKey(DataPath(sp), out var generated);
            return new AdminKey(key, generated);
        });
        builder.Services.AddSingleton(sp =>
        {
            var configured = sp.GetRequiredService<IOptions<AuthOptions>>().Value.ApiKeyMacKey;
            return string.IsNullOrWhiteSpace(configured)
                ? ApiKeys.Parse(DevSecrets.LoadOrCreateApiKeyMacKey(DataPath(sp)), Path.Combine(DataPath(sp), DevSecrets.ApiKeyMacKeyFile))
                : ApiKeys.Parse(configured, AuthOptions.ApiKeyMacKeyKey);
        });
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(CurrentAdvertiser.AdminRole));
        return builder;
    }

    private static string DataPath(IServiceProvider services) => services.GetRequiredService<IOptions<AdClicksOptions>>().Value.DataPath;
}
