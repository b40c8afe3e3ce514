using System.Security.Claims;
using Orleans.AdClicks.Api.Auth;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>The admin is a flag from the admin role, never inferred from a missing advertiser id.</summary>
public sealed class CurrentAdvertiserTests
{
    [Fact]
    public void From_AdminRole_AdminOwningEverything()
    {
        var caller = CurrentAdvertiser.From(Principal(new Claim(ClaimTypes.Role, CurrentAdvertiser.AdminRole)));

        Assert.NotNull(caller);
        Assert.True(caller.IsAdmin);
        Assert.True(caller.Owns(Guid.NewGuid()));
    }

    [Fact]
    public void From_AdvertiserClaim_NotAdminOwningOnlyItsOwn()
    {
        var advertiserId = Guid.NewGuid();

        var caller = CurrentAdvertiser.From(Principal(new Claim(CurrentAdvertiser.AdvertiserClaim, advertiserId.ToString())));

        Assert.NotNull(caller);
        Assert.False(caller.IsAdmin);
        Assert.Equal(advertiserId, caller.AdvertiserId);
        Assert.True(caller.Owns(advertiserId));
        Assert.False(caller.Owns(Guid.NewGuid()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-guid")]
    public void From_NoAdminRoleAndNoAdvertiserId_NoCallerAtAll(string? advertiserClaim)
    {
        var claims = advertiserClaim is null ? [] : new[] { new Claim(CurrentAdvertiser.AdvertiserClaim, advertiserClaim) };

        var caller = CurrentAdvertiser.From(Principal(claims));

        Assert.Null(caller);
    }

    [Fact]
    public void Advertiser_HasAnId_NeverAdmin()
    {
        Assert.False(CurrentAdvertiser.Advertiser(Guid.NewGuid()).IsAdmin);
        Assert.Null(CurrentAdvertiser.Admin.AdvertiserId);
        Assert.True(CurrentAdvertiser.Admin.IsAdmin);
    }

    private static ClaimsPrincipal Principal(params Claim[] claims) =>
        new(new ClaimsIdentity(claims, ApiKeyAuthenticationHandler.SchemeName));
}
