using Microsoft.Extensions.Configuration;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>With any Azure service configured, no secret is generated: the Api refuses to start without configured ones.</summary>
public sealed class SharedSecretsTests
{
    private const string SigningKeys = "AdClicks:Tokens:SigningKeys";

    public static TheoryData<string, string> AzureServicesAndSecrets => new()
    {
        { "AzureStorage", AuthOptions.AdminKeyKey },
        { "AzureStorage", AuthOptions.ApiKeyMacKeyKey },
        { "AzureStorage", SigningKeys },
        { "EventHubs", AuthOptions.AdminKeyKey },
        { "EventHubs", AuthOptions.ApiKeyMacKeyKey },
        { "EventHubs", SigningKeys },
        { "Kusto", AuthOptions.AdminKeyKey },
        { "Kusto", AuthOptions.ApiKeyMacKeyKey },
        { "Kusto", SigningKeys },
    };

    [Theory]
    [MemberData(nameof(AzureServicesAndSecrets))]
    public void Check_AzureServiceWithoutOneSecret_RefusedNamingIt(string service, string missing)
    {
        var configuration = Configuration(Secrets(without: missing), service);

        var error = Assert.Throws<InvalidOperationException>(() => DevSecrets.ThrowIfGeneratedWouldBeShared(configuration));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:" + service, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AzureServiceWithNoSecrets_RefusedNamingEach()
    {
        var configuration = Configuration([], "AzureStorage");

        var error = Assert.Throws<InvalidOperationException>(() => DevSecrets.ThrowIfGeneratedWouldBeShared(configuration));

        Assert.All([AuthOptions.AdminKeyKey, AuthOptions.ApiKeyMacKeyKey, SigningKeys], key => Assert.Contains(key, error.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AzureStorage")]
    [InlineData("Kusto")]
    public void Check_AzureServiceWithEverySecret_Starts(string service)
    {
        DevSecrets.ThrowIfGeneratedWouldBeShared(Configuration(Secrets(without: null), service));
    }

    [Fact]
    public void Check_EmbeddedWithoutSecrets_GeneratesThem()
    {
        DevSecrets.ThrowIfGeneratedWouldBeShared(Configuration([], service: null));
    }

    [Fact]
    public async Task Start_AzureStorageWithoutSecrets_RefusedAndNothingGenerated()
    {
        using var data = new TempDirectory();
        // The factory configures a signing key of its own; the admin and MAC keys stay missing.
        await using var factory = new AdClicksApiFactory(data.Path, settings: new Dictionary<string, string>
        {
            ["ConnectionStrings:AzureStorage"] = "UseDevelopmentStorage=true",
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.Start());

        var refusal = Assert.IsType<InvalidOperationException>(error.GetBaseException());
        Assert.Contains(AuthOptions.AdminKeyKey, refusal.Message, StringComparison.Ordinal);
        Assert.Contains(AuthOptions.ApiKeyMacKeyKey, refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SigningKeys, refusal.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data.Path, DevSecrets.AdminKeyFile)));
        Assert.False(File.Exists(Path.Combine(data.Path, DevSecrets.ApiKeyMacKeyFile)));
    }

    private static Dictionary<string, string?> Secrets(string? without)
    {
        var secrets = AdClicksApiFactory.SharedSecrets().ToDictionary(pair => pair.Key, pair => (string?)pair.Value);
        secrets.Remove(without == SigningKeys ? SigningKeys + ":0" : without ?? "");
        return secrets;
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings, string? service)
    {
        if (service is not null)
        {
            settings["ConnectionStrings:" + service] = "configured";
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }
}
