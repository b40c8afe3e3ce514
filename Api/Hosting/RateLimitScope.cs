namespace Orleans.AdClicks.Api.Hosting;

/// <summary>Which limit a request counts against.</summary>
public enum RateLimitScope : byte
{
    /// <summary>Not limited by the framework's limiter: beacons (they have their own), health, OpenAPI, the API reference, unverified callers after the address limit.</summary>
    None,

    /// <summary>An /api request of a verified advertiser, by its advertiser id.</summary>
    ApiAdvertiser,

    /// <summary>Every /api request, before its key is checked, by client address.</summary>
    ApiAddress,

    /// <summary>An /api request with the admin key.</summary>
    ApiAdmin,
}
