namespace Orleans.AdClicks.Events;

/// <summary>
/// One click or impression as accepted by a beacon: what the click log carries and the raw store keeps.
/// </summary>
/// <param name="Billable">True exactly when <paramref name="Invalid"/> is None: an invalid event is kept but never billed.</param>
/// <param name="ClientIp">Truncated for privacy (/24 for IPv4, /48 for IPv6).</param>
/// <param name="Invalid">Why the event is invalid traffic, decided once by its beacon; read it with <see cref="InvalidTraffic.ReasonOf"/>.</param>
[GenerateSerializer, Immutable, Alias("adclicks.ad-event")]
public sealed record AdEvent(
    [property: Id(0)] AdEventKind Kind,
    [property: Id(1)] Guid ImpressionId,
    [property: Id(2)] Guid AdId,
    [property: Id(3)] Guid CampaignId,
    [property: Id(4)] DateTimeOffset Timestamp,
    [property: Id(5)] DateTimeOffset TokenIssuedAt,
    [property: Id(6)] DateTimeOffset TokenExpiresAt,
    [property: Id(7)] bool Billable,
    [property: Id(8)] string? UserAgent,
    [property: Id(9)] string? ClientIp,
    [property: Id(10)] InvalidTrafficReason Invalid = InvalidTrafficReason.None)
{
    /// <summary>The UTC minute the event is counted in.</summary>
    public DateTimeOffset Minute => MinuteBucket.Of(Timestamp);
}
