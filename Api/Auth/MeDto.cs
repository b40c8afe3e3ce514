using System.Text.Json.Serialization;

namespace Orleans.AdClicks.Api.Auth;

/// <summary>Who the API key belongs to: an advertiser (its id and name), or the admin (both null); the nulls are written.</summary>
public sealed record MeDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] Guid? AdvertiserId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Name,
    bool IsAdmin);
