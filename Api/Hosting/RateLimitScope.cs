namespace Orleans.AdClicks.Api.Hosting;

/// <summary>Which limit a request counts against.</summary>
public enum RateLimitScope : byte
{
    /// <summary>Not limited by the framework's limiter: beacons (they have their own), health, OpenAPI, the API reference.</summary>
    None,

    /// <summary>An /api request, by the hash of its X-Api-Key.</summary>
    ApiKey,

    /// <summary>An /api request without a key, by client address.</summary>
    ApiAddress,
}
