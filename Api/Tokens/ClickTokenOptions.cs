using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Api.Tokens;

/// <summary>The "AdClicks:Tokens" section.</summary>
public sealed class ClickTokenOptions
{
    public const string Section = "AdClicks:Tokens";

    /// <summary>"keyId:base64secret" entries; the first signs, all verify. Generated in the data directory when empty.</summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>
    /// How long a token can be counted after the ad was shown: <see cref="AdClicksSettings.TokenLifetimeKey"/>, the one
    /// lifetime of the cluster, which the silos' raw stores read too.
    /// </summary>
    public TimeSpan Lifetime { get; set; } = AdClicksSettings.DefaultTokenLifetime;
}
