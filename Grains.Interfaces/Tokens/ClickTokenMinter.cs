namespace Orleans.AdClicks.Tokens;

/// <summary>
/// Mints click tokens exactly as the Api's placement endpoint does, for an ad server inside the trust
/// boundary that holds the cluster's signing key and places ads without one HTTP call per impression.
/// Each token gets a fresh impression id (the dedup key) and expires after the cluster's token lifetime.
/// The caller does placement's checks itself: mint only for an ad and campaign that are active and in schedule.
/// </summary>
public sealed class ClickTokenMinter
{
    private readonly SigningKey _key;
    private readonly TimeProvider _time;

    /// <param name="key">The key that signs: the first of the Api's <c>AdClicks:Tokens:SigningKeys</c>.</param>
    /// <param name="lifetime">How long a token counts: the Api's <c>AdClicks:Tokens:Lifetime</c>.</param>
    public ClickTokenMinter(SigningKey key, TimeSpan lifetime, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        _key = key;
        Lifetime = lifetime;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan Lifetime { get; }

    /// <summary>One placement of <paramref name="adId"/> of <paramref name="campaignId"/>: the token and its text for /c and /v.</summary>
    public (ClickToken Token, string Text) Mint(Guid adId, Guid campaignId)
    {
        var now = _time.GetUtcNow();
        var token = new ClickToken(_key.Id, Guid.NewGuid(), adId, campaignId, now, now + Lifetime);
        return (token, ClickTokenCodec.Encode(token, _key));
    }
}
