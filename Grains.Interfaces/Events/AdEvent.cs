namespace Orleans.AdClicks.Events;

/// <summary>
/// One click or impression as accepted by a beacon: what the click log carries and the raw store keeps.
/// </summary>
/// <param name="Billable">True exactly when <paramref name="Invalid"/> is None: an invalid event is kept but never billed.</param>
/// <param name="ClientIp">Truncated for privacy (/24 for IPv4, /48 for IPv6).</param>
/// <param name="Invalid">Why the event is invalid traffic, decided once by its beacon; read it with <see cref="InvalidTraffic.ReasonOf"/>.</param>
/// <param name="Device">Enriched at the beacon: desktop, mobile, tablet, bot or other; null when not enriched.</param>
/// <param name="Browser">The browser family by uap-core (e.g. "Chrome"), never a version.</param>
/// <param name="Os">The OS family by uap-core (e.g. "Windows").</param>
/// <param name="Country">ISO 3166 alpha-2 of the full client address; null when unknown or no country database.</param>
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
    [property: Id(10)] InvalidTrafficReason Invalid = InvalidTrafficReason.None,
    [property: Id(11)] string? Device = null,
    [property: Id(12)] string? Browser = null,
    [property: Id(13)] string? Os = null,
    [property: Id(14)] string? Country = null)
{
    /// <summary>The UTC minute the event is counted in.</summary>
    public DateTimeOffset Minute => MinuteBucket.Of(Timestamp);
}
