using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

public sealed class StartupTests
{
    [Theory]
    [InlineData("no-colon-here")]
    [InlineData("k1:dG9vIHNob3J0")]
    public async Task Start_UnusableSigningKey_FailsWithClearError(string signingKey)
    {
        using var data = new TempDirectory();
        await using var factory = new AdClicksApiFactory(data.Path, settings: new Dictionary<string, string>
        {
            ["AdClicks:Tokens:SigningKeys:0"] = signingKey,
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.Start());

        var format = Assert.IsType<FormatException>(error.GetBaseException());
        Assert.Contains("signing key", format.Message, StringComparison.OrdinalIgnoreCase);
    }
}
