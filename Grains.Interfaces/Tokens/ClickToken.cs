namespace Orleans.AdClicks.Tokens;

/// <summary>What a signed click token says: minted once per ad shown, carried by /c and /v.</summary>
/// <param name="ImpressionId">The dedup key of the impression and of the click that follows it.</param>
public sealed record ClickToken(
    string KeyId,
    Guid ImpressionId,
    Guid AdId,
    Guid CampaignId,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>True when the token can no longer be counted at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;
}
