using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Api.Tokens;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Silo;
using Orleans.AdClicks.Tests.Api;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Hosting;

/// <summary>One token lifetime (AdClicks:Tokens:Lifetime) for the Api's minting and the silos' raw stores.</summary>
public sealed class TokenLifetimeTests
{
    private const string Azurite = "UseDevelopmentStorage=true";

    [Theory]
    [InlineData("3.00:00:00", "4")]
    [InlineData("1.00:00:00", "2")]
    [InlineData("100.00:00:00", null)]
    public void Settings_RetentionShorterThanLifetimePlusMargin_RefusedNamingBothKeys(string lifetime, string? retentionDays)
    {
        var configuration = TestConfiguration.Of(new()
        {
            ["ConnectionStrings:AzureStorage"] = Azurite,
            ["AdClicks:Tokens:Lifetime"] = lifetime,
            ["AdClicks:RawClicks:RetentionDays"] = retentionDays,
        });

        var error = Assert.Throws<InvalidOperationException>(() => AdClicksSettings.From(configuration));

        Assert.Contains("AdClicks:RawClicks:RetentionDays", error.Message, StringComparison.Ordinal);
        Assert.Contains("AdClicks:Tokens:Lifetime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_EmbeddedRawStoreRetentionShorterThanLifetimePlusMargin_RefusedNamingBothKeys()
    {
        var configuration = TestConfiguration.Of(new()
        {
            ["AdClicks:Tokens:Lifetime"] = "7.00:00:00",
            ["AdClicks:RawClicks:RetentionDays"] = "8",
        });

        var error = Assert.Throws<InvalidOperationException>(() => AdClicksSettings.From(configuration));

        Assert.Contains("AdClicks:RawClicks:RetentionDays (8)", error.Message, StringComparison.Ordinal);
        Assert.Contains("AdClicks:Tokens:Lifetime (7.00:00:00)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_RetentionOfLifetimePlusMargin_Accepted()
    {
        var configuration = TestConfiguration.Of(new()
        {
            ["ConnectionStrings:AzureStorage"] = Azurite,
            ["AdClicks:Tokens:Lifetime"] = "3.00:00:00",
            ["AdClicks:RawClicks:RetentionDays"] = "5",
        });

        Assert.Equal(TimeSpan.FromDays(3), AdClicksSettings.From(configuration).TokenLifetime);
    }

    [Fact]
    public void Settings_OldMaxTokenLifetimeKey_RefusedNamingTheOneLifetime()
    {
        var configuration = TestConfiguration.Of(new()
        {
            ["ConnectionStrings:AzureStorage"] = Azurite,
            ["AdClicks:RawClicks:MaxTokenLifetime"] = "2.00:00:00",
        });

        var error = Assert.Throws<InvalidOperationException>(() => AdClicksSettings.From(configuration));

        Assert.Contains("AdClicks:Tokens:Lifetime", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-1.00:00:00")]
    public void Settings_LifetimeNotPositive_RefusedNamingTheKey(string lifetime)
    {
        var error = Assert.Throws<InvalidOperationException>(() => AdClicksSettings.From(TestConfiguration.Of(new() { ["AdClicks:Tokens:Lifetime"] = lifetime })));

        Assert.Contains("AdClicks:Tokens:Lifetime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_RetentionShorterThanLifetime_RefusesToStartNamingBothKeys()
    {
        using var data = new TempDirectory();
        var settings = AdClicksApiFactory.SharedSecrets();
        settings["ConnectionStrings:AzureStorage"] = Azurite;
        settings["AdClicks:Tokens:Lifetime"] = "100.00:00:00";
        using var factory = new AdClicksApiFactory(data.Path, settings: settings);

        var error = Assert.ThrowsAny<Exception>(() => factory.Start()).GetBaseException();

        Assert.Contains("AdClicks:RawClicks:RetentionDays", error.Message, StringComparison.Ordinal);
        Assert.Contains("AdClicks:Tokens:Lifetime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Silo_RetentionShorterThanLifetime_RefusesToStartNamingBothKeys()
    {
        using var data = new TempDirectory();

        var error = Assert.Throws<InvalidOperationException>(() => SiloHost.CreateBuilder(
        [
            $"--AdClicks:DataDirectory={data.Path}",
            $"--ConnectionStrings:AzureStorage={Azurite}",
            "--AdClicks:Tokens:Lifetime=2.00:00:00",
            "--AdClicks:RawClicks:RetentionDays=3",
        ]));

        Assert.Contains("AdClicks:RawClicks:RetentionDays", error.Message, StringComparison.Ordinal);
        Assert.Contains("AdClicks:Tokens:Lifetime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiAndRawStore_ReadTheSameLifetimeKey()
    {
        var lifetime = TimeSpan.FromDays(3);
        var settings = new Dictionary<string, string> { ["AdClicks:Tokens:Lifetime"] = "3.00:00:00" };
        using var data = new TempDirectory();
        await using var api = new AdClicksApiFactory(data.Path, settings: settings).Start();

        var (token, _) = api.Services.GetRequiredService<ClickTokens>().Mint(Guid.NewGuid(), Guid.NewGuid());
        var configuration = TestConfiguration.Of(new()
        {
            ["ConnectionStrings:AzureStorage"] = Azurite,
            ["AdClicks:Tokens:Lifetime"] = settings["AdClicks:Tokens:Lifetime"],
        });
        var rawStore = RawClickStoreServiceExtensions.ReadOptions(configuration, AdClicksSettings.From(configuration));

        Assert.Equal(lifetime, token.ExpiresAt - token.IssuedAt);
        Assert.Equal(lifetime, api.Services.GetRequiredService<AdClicksSettings>().TokenLifetime);
        Assert.Equal(lifetime, rawStore.TokenLifetime);
        Assert.Equal(lifetime, api.Services.GetRequiredService<IOptions<ClickTokenOptions>>().Value.Lifetime);
    }
}
