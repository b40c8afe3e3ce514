namespace Orleans.AdClicks.Api.Auth;

/// <summary>What an advertiser API key is, as far as can be told without any I/O.</summary>
public enum ApiKeyCheck
{
    /// <summary>Issued by this service (its MAC verifies); its advertiser grain says whether it is still current.</summary>
    Authentic,

    /// <summary>Not issued by this service: refused at once.</summary>
    Forged,

    /// <summary>A key of the shape issued before keys carried a MAC ("ak_…"): refused, the admin issues a new one.</summary>
    OldFormat,
}
