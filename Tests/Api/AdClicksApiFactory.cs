using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Tokens;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>
/// The real Api over Kestrel with a co-hosted silo and embedded stores in <paramref name="dataDirectory"/>.
/// Configures a known signing key unless <paramref name="generateSigningKeys"/> asks for the embedded default.
/// </summary>
/// <paramref name="settings"/> override any configuration key; <paramref name="services"/> changes the app's services last.
public sealed class AdClicksApiFactory(
    string dataDirectory, bool generateSigningKeys = false, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public static readonly SigningKey TestSigningKey = new("test", RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Fresh random secrets, as a deployment with an Azure service must configure them (no key lives in
    /// source); pass the same ones to every instance of one deployment.
    /// </summary>
    public static Dictionary<string, string> SharedSecrets() => new()
    {
        [AuthOptions.AdminKeyKey] = "admin_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        [AuthOptions.ApiKeyMacKeyKey] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["AdClicks:Tokens:SigningKeys:0"] = new SigningKey("shared", RandomNumberGenerator.GetBytes(32)).Format(),
    };

    /// <summary>Limits no test reaches, so the limiter runs without refusing anything.</summary>
    public static readonly IReadOnlyDictionary<string, string> UnlimitedRates = new Dictionary<string, string>
    {
        ["AdClicks:RateLimits:ApiAddressPermitsPerSecond"] = "1000000",
        ["AdClicks:RateLimits:ApiAddressBurst"] = "1000000",
        ["AdClicks:RateLimits:ApiPermitsPerSecond"] = "1000000",
        ["AdClicks:RateLimits:ApiBurst"] = "1000000",
        ["AdClicks:RateLimits:BeaconPermitsPerSecond"] = "1000000",
        ["AdClicks:RateLimits:BeaconBurst"] = "1000000",
    };

    /// <summary>
    /// The invalid-traffic rules that tests' quick bursts from one loopback address would trip, off;
    /// InvalidTrafficTests turn them on.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LenientInvalidTraffic = new Dictionary<string, string>
    {
        ["AdClicks:InvalidTraffic:MinClickDelay"] = "00:00:00",
        ["AdClicks:InvalidTraffic:AdClickLimit"] = "0",
        ["AdClicks:InvalidTraffic:CampaignClickLimit"] = "0",
    };

    public string DataDirectory { get; } = dataDirectory;

    /// <summary>Adds logging providers of a test's own, e.g. a log collector.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>The admin key the Api generated in the data directory (or found there).</summary>
    public string AdminKey => Services.GetRequiredService<AdminKey>().Key;

    /// <summary>The signing keys of the running Apis, by address, for tests that mint tokens as an ad server would.</summary>
    private static readonly ConcurrentDictionary<Uri, SigningKey> SigningKeys = new();

    /// <summary>The key that signs tokens in the Api at <paramref name="address"/>, when a factory here started it.</summary>
    public static SigningKey? SigningKeyOf(Uri address) => SigningKeys.GetValueOrDefault(address);

    /// <summary>Starts Kestrel and the co-hosted silo.</summary>
    public AdClicksApiFactory Start()
    {
        UseKestrel(0);
        StartServer();
        SigningKeys[ClientOptions.BaseAddress] = Services.GetRequiredService<ClickTokens>().Keys.Current;
        return this;
    }

    /// <summary>A client that sends <paramref name="apiKey"/> (when given) and never follows redirects.</summary>
    public HttpClient CreateClient(string? apiKey)
    {
        var handler = new ApiKeyHandler(apiKey) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } };
        return new HttpClient(handler) { BaseAddress = ClientOptions.BaseAddress };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("AdClicks:DataDirectory", DataDirectory);
        builder.UseSetting("AdClicks:Cluster:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("AdClicks:Cluster:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        // Tests drive bursts from one loopback address; RateLimitTests configure low limits of their own.
        foreach (var (key, value) in UnlimitedRates.Concat(LenientInvalidTraffic))
        {
            builder.UseSetting(key, value);
        }

        if (!generateSigningKeys)
        {
            builder.UseSetting("AdClicks:Tokens:SigningKeys:0", TestSigningKey.Format());
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }

        if (ConfigureLogging is { } configureLogging)
        {
            builder.ConfigureLogging(configureLogging);
        }
    }

    private sealed class ApiKeyHandler(string? apiKey) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (apiKey is not null)
            {
                request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, apiKey);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
