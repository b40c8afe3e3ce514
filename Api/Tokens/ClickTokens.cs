using Microsoft.Extensions.Options;
using Orleans.AdClicks.Api.Hosting;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Api.Tokens;

/// <summary>Mints and verifies click tokens with the configured (or generated) signing keys.</summary>
public sealed class ClickTokens
{
    private readonly ClickTokenMinter _minter;

    public ClickTokens(IOptions<ClickTokenOptions> options, IOptions<AdClicksOptions> adClicks, TimeProvider time)
    {
        var configured = options.Value.SigningKeys;
        var keys = configured.Count > 0 ? configured : DevSecrets.LoadOrCreateSigningKeys(adClicks.Value.DataPath);
        Keys = new SigningKeyRing(keys.Select(SigningKey.Parse));
        _minter = new ClickTokenMinter(Keys.Current, options.Value.Lifetime, time);
    }

    public SigningKeyRing Keys { get; }

    /// <summary>A new token for one showing of <paramref name="adId"/>, with a fresh impression id.</summary>
    public (ClickToken Token, string Text) Mint(Guid adId, Guid campaignId) => _minter.Mint(adId, campaignId);
}
