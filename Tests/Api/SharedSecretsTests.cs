using Microsoft.Extensions.Configuration;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>With any Azure service configured, no secret is generated: the Api refuses to start without configured ones.</summary>
public sealed class SharedSecretsTests
{
    private const string SigningKeys = "AdClicks:Tokens:SigningKeys";

    private const string Azurite = "UseDevelopmentStorage=true";

    // The documented shape with a made-up key: nothing here reaches a service.
    private const string EventHubs = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=bm90LWEta2V5";

    private static readonly string[] Secrets = [AuthOptions.AdminKeyKey, AuthOptions.ApiKeyMacKeyKey, SigningKeys];

    // Each profile with the concern the refusal must name.
    private static readonly Dictionary<string, (Dictionary<string, string?> Settings, string Remote)> Profiles = new()
    {
        ["AzureStorage"] = (new() { ["ConnectionStrings:AzureStorage"] = Azurite }, "AdClicks:Backends:Cluster is AzureStorage"),
        ["RawClicksOnly"] = (new()
        {
            ["ConnectionStrings:AzureStorage"] = Azurite,
            ["AdClicks:Backends:ClickLog"] = "Embedded",
            ["AdClicks:Backends:Cluster"] = "Embedded",
        }, "AdClicks:Backends:RawClicks is AzureStorage"),
        ["ClickLogOnEventHubsOnly"] = (new()
        {
            ["ConnectionStrings:EventHubs"] = EventHubs,
            ["ConnectionStrings:AzureStorage"] = Azurite,
            ["AdClicks:Backends:RawClicks"] = "Embedded",
            ["AdClicks:Backends:Cluster"] = "Embedded",
        }, "AdClicks:Backends:ClickLog is EventHubs"),
    };

    public static TheoryData<string, string> ProfilesAndSecrets()
    {
        var data = new TheoryData<string, string>();
        foreach (var profile in Profiles.Keys)
        {
            foreach (var secret in Secrets)
            {
                data.Add(profile, secret);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProfilesAndSecrets))]
    public void Check_AzureServiceWithoutOneSecret_RefusedNamingItAndTheRemoteConcern(string profile, string missing)
    {
        var configuration = Configuration(WithSecrets(without: missing), profile);

        var error = Assert.Throws<InvalidOperationException>(() => Check(configuration));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains(Profiles[profile].Remote, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OnlyTheClickLogOnEventHubs_RefusedNamingNoEmbeddedConcern()
    {
        var configuration = Configuration([], "ClickLogOnEventHubsOnly");

        var error = Assert.Throws<InvalidOperationException>(() => Check(configuration));

        Assert.All(Secrets, key => Assert.Contains(key, error.Message, StringComparison.Ordinal));
        Assert.DoesNotContain("AdClicks:Backends:RawClicks", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AdClicks:Backends:Cluster", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AzureStorage")]
    [InlineData("ClickLogOnEventHubsOnly")]
    public void Check_AzureServiceWithEverySecret_Starts(string profile)
    {
        Check(Configuration(WithSecrets(without: null), profile));
    }

    [Fact]
    public void Check_EmbeddedWithoutSecrets_GeneratesThem()
    {
        Check(Configuration([], profile: null));
    }

    [Fact]
    public void Check_ConnectionStringSetButEveryConcernEmbedded_GeneratesThem()
    {
        // One process on embedded backends, whatever connection strings are lying around.
        var configuration = TestConfiguration.Of(new()
        {
            ["ConnectionStrings:AzureStorage"] = Azurite,
            ["AdClicks:Backends:ClickLog"] = "Embedded",
            ["AdClicks:Backends:RawClicks"] = "Embedded",
            ["AdClicks:Backends:Cluster"] = "Embedded",
        });

        Check(configuration);
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

    private static void Check(IConfiguration configuration) =>
        DevSecrets.ThrowIfGeneratedWouldBeShared(AdClicksSettings.From(configuration), configuration);

    private static Dictionary<string, string?> WithSecrets(string? without)
    {
        var secrets = AdClicksApiFactory.SharedSecrets().ToDictionary(pair => pair.Key, pair => (string?)pair.Value);
        secrets.Remove(without == SigningKeys ? SigningKeys + ":0" : without ?? "");
        return secrets;
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings, string? profile)
    {
        foreach (var (key, value) in profile is null ? [] : Profiles[profile].Settings)
        {
            settings[key] = value;
        }

        return TestConfiguration.Of(settings);
    }
}
