using System.Reflection;
using System.Security.Claims;

namespace Orleans.AdClicks.Api.Auth;

/// <summary>The caller of an /api endpoint: the admin, or one advertiser.</summary>
public sealed record CurrentAdvertiser(Guid? AdvertiserId)
{
    public const string AdvertiserClaim = "adclicks:advertiser";
    public const string AdminRole = "admin";

    public bool IsAdmin => AdvertiserId is null;

    /// <summary>True when the caller may see and change what <paramref name="ownerId"/> owns.</summary>
    public bool Owns(Guid ownerId) => IsAdmin || AdvertiserId == ownerId;

    /// <summary>Binds the caller from the principal the API-key handler authenticated.</summary>
    public static ValueTask<CurrentAdvertiser?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var user = context.User;
        var caller = user.IsInRole(AdminRole)
            ? new CurrentAdvertiser(AdvertiserId: null)
            : Guid.TryParse(user.FindFirstValue(AdvertiserClaim), out var id) ? new CurrentAdvertiser(id) : null;
        return ValueTask.FromResult(caller);
    }
}
