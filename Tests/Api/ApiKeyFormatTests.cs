using System.Security.Cryptography;
using Orleans.AdClicks.Api.Auth;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>Advertiser API keys tell themselves apart from made-up ones without any I/O.</summary>
public sealed class ApiKeyFormatTests
{
    private readonly ApiKeys _keys = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Check_IssuedKey_AuthenticWithItsAdvertiser()
    {
        var advertiserId = Guid.NewGuid();

        var key = _keys.Create(advertiserId);

        Assert.Equal(ApiKeyCheck.Authentic, _keys.Check(key, out var found));
        Assert.Equal(advertiserId, found);
        Assert.Equal(ApiKeys.Length, key.Length);
        Assert.StartsWith($"ak2_{advertiserId:N}_", key, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EveryCharacterChanged_Forged()
    {
        var key = _keys.Create(Guid.NewGuid());

        // "ak2_" identifies the format; any change after it breaks the MAC or the shape.
        for (var i = 4; i < key.Length; i++)
        {
            var changed = key[..i] + (key[i] == 'A' ? 'B' : 'A') + key[(i + 1)..];
            Assert.Equal(ApiKeyCheck.Forged, _keys.Check(changed, out _));
        }
    }

    [Fact]
    public void Check_KeyOfAnotherMacKey_Forged()
    {
        var other = new ApiKeys(RandomNumberGenerator.GetBytes(32));

        Assert.Equal(ApiKeyCheck.Forged, _keys.Check(other.Create(Guid.NewGuid()), out _));
    }

    [Fact]
    public void Check_AdvertiserIdInUppercase_Forged()
    {
        var advertiserId = Guid.NewGuid();
        var key = _keys.Create(advertiserId);

        var upper = $"ak2_{advertiserId.ToString("N").ToUpperInvariant()}{key[36..]}";

        Assert.Equal(ApiKeyCheck.Forged, _keys.Check(upper, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ak2_")]
    [InlineData("wrong")]
    [InlineData("admin_0123")]
    public void Check_NotAKey_Forged(string key)
    {
        Assert.Equal(ApiKeyCheck.Forged, _keys.Check(key, out _));
    }

    [Fact]
    public void Check_KeyOfTheFormerShape_OldFormat()
    {
        const string formerShape = "ak_0123456789abcdef0123456789abcdef_notTheRealSecretxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

        Assert.Equal(ApiKeyCheck.OldFormat, _keys.Check(formerShape, out _));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void Parse_UnusableMacKey_FormatExceptionNamingTheSource(string base64)
    {
        var error = Assert.Throws<FormatException>(() => ApiKeys.Parse(base64, AuthOptions.ApiKeyMacKeyKey));

        Assert.Contains(AuthOptions.ApiKeyMacKeyKey, error.Message, StringComparison.Ordinal);
    }
}
