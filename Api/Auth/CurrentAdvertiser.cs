using System.Reflection;
using System.Security.Claims;

namespace Orleans.AdClicks.Api.Auth;

/// <summary>
/// The caller of an /api endpoint: the admin (an explicit flag, from the admin role claim), or one
/// advertiser. A caller that is neither cannot be made, so a missing advertiser id never means admin.
/// </summary>
public sealed record CurrentAdvertiser
{
    public const string AdvertiserClaim = "adclicks:advertiser";
    public const string AdminRole = "admin";

    private CurrentAdvertiser(bool isAdmin, Guid? advertiserId) => (IsAdmin, AdvertiserId) = (isAdmin, advertiserId);

    public static CurrentAdvertiser Admin { get; } = new(isAdmin: true, advertiserId: null);

    public bool IsAdmin { get; }

    /// <summary>The advertiser calling; null for the admin, who acts for no advertiser of its own.</summary>
    public Guid? AdvertiserId { get; }

    public static CurrentAdvertiser Advertiser(Guid advertiserId) => new(isAdmin: false, advertiserId);

    /// <summary>True when the caller may see and change what <paramref name="ownerId"/> owns.</summary>
    public bool Owns(Guid ownerId) => IsAdmin || AdvertiserId == ownerId;

    /// <summary>The caller the API-key handler authenticated, or null when the principal is neither admin nor advertiser.</summary>
    public static CurrentAdvertiser? From(ClaimsPrincipal user) =>
        user.IsInRole(AdminRole) ? Admin
        : Guid.TryParse(user.FindFirstValue(AdvertiserClaim), out var id) ? Advertiser(id)
        : null;

    /// <summary>Binds the caller from the principal the API-key handler authenticated.</summary>
    public static ValueTask<CurrentAdvertiser?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult(From(context.User));
}
