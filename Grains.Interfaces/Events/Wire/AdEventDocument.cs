using System.Text.Json.Serialization;

namespace Orleans.AdClicks.Events.Wire;

/// <summary>Version 1 of an event on the wire, as JSON sees it: every field nullable, so a missing one is told from a wrong one.</summary>
internal sealed class AdEventDocument
{
    [JsonPropertyName("v")]
    public int? Version { get; set; }

    public string? Kind { get; set; }

    public Guid? ImpressionId { get; set; }

    public Guid? AdId { get; set; }

    public Guid? CampaignId { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public DateTimeOffset? TokenIssuedAt { get; set; }

    public DateTimeOffset? TokenExpiresAt { get; set; }

    public bool? Billable { get; set; }

    /// <summary>The invalid-traffic reason ("knownCrawler", ...); absent when billable, and from older producers.</summary>
    public string? Invalid { get; set; }

    public string? UserAgent { get; set; }

    public string? ClientIp { get; set; }

    // Optional: enriched at the beacon; another producer's events may come without them.
    public string? Device { get; set; }

    public string? Browser { get; set; }

    public string? Os { get; set; }

    public string? Country { get; set; }
}
