using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Hosting;

namespace Orleans.AdClicks.Tests.Api;

public sealed class RateLimitKeyTests
{
    [Theory]
    [InlineData("/c/abc", RateLimitScope.None)]
    [InlineData("/v/abc", RateLimitScope.None)]
    [InlineData("/api/campaigns", RateLimitScope.ApiAddress)]
    [InlineData("/API/campaigns", RateLimitScope.ApiAddress)]
    [InlineData("/health/live", RateLimitScope.None)]
    [InlineData("/health/ready", RateLimitScope.None)]
    [InlineData("/openapi/v1.json", RateLimitScope.None)]
    [InlineData("/scalar/v1", RateLimitScope.None)]
    [InlineData("/campaigns", RateLimitScope.None)]
    public void For_Path_Scope(string path, RateLimitScope scope)
    {
        var context = Context(path, "203.0.113.7");

        var key = RateLimitKey.ForAddress(context);

        Assert.Equal(scope, key.Scope);
    }

    [Fact]
    public void ForAddress_ApiWithKeys_OnePartitionWhateverTheKey()
    {
        var first = Context("/api/campaigns", "203.0.113.7", "ak2_anything");
        var second = Context("/api/campaigns", "203.0.113.7", "ak2_something-else");

        Assert.Equal(RateLimitKey.ForAddress(first), RateLimitKey.ForAddress(second));
        Assert.Equal(RateLimitScope.ApiAddress, RateLimitKey.ForAddress(first).Scope);
    }

    [Fact]
    public void ForCaller_NotAuthenticated_NoPartition()
    {
        var context = Context("/api/campaigns", "203.0.113.7", "ak2_made-up");

        Assert.Equal(RateLimitScope.None, RateLimitKey.ForCaller(context).Scope);
    }

    [Fact]
    public void ForCaller_Verified_ByAdvertiserOrAdmin()
    {
        var (one, other) = (Guid.NewGuid(), Guid.NewGuid());

        var first = RateLimitKey.ForCaller(Authenticated(new Claim(CurrentAdvertiser.AdvertiserClaim, one.ToString())));
        var again = RateLimitKey.ForCaller(Authenticated(new Claim(CurrentAdvertiser.AdvertiserClaim, one.ToString())));
        var second = RateLimitKey.ForCaller(Authenticated(new Claim(CurrentAdvertiser.AdvertiserClaim, other.ToString())));
        var admin = RateLimitKey.ForCaller(Authenticated(new Claim(ClaimTypes.Role, CurrentAdvertiser.AdminRole)));

        Assert.Equal(RateLimitScope.ApiAdvertiser, first.Scope);
        Assert.Equal(first, again);
        Assert.NotEqual(first, second);
        Assert.Equal(RateLimitScope.ApiAdmin, admin.Scope);
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7", true)]
    [InlineData("203.0.113.7", "203.0.113.8", false)]
    public void AddressId_SameClient_SameId(string first, string second, bool same)
    {
        var a = RateLimitKey.AddressId(IPAddress.Parse(first));
        var b = RateLimitKey.AddressId(IPAddress.Parse(second));

        Assert.Equal(same, a == b);
    }

    [Fact]
    public void ForAddress_Api_AllocatesNothing()
    {
        var context = Context("/api/campaigns", "2001:db8::1", "ak2_anything");
        RateLimitKey.ForAddress(context);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            RateLimitKey.ForAddress(context);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>.NET 10's partitioned limiter allocates 32 bytes per acquisition itself; the key must add nothing.</summary>
    [Fact]
    public void Limiter_ApiFromKnownClient_AllocatesNoMoreThanTheFramework()
    {
        using var limiter = RateLimitExtensions.CreateAddressLimiter(new RateLimitOptions { ApiAddressPermitsPerSecond = 1_000_000, ApiAddressBurst = 1_000_000 });
        var context = Context("/api/campaigns", "203.0.113.7");
        limiter.AttemptAcquire(context).Dispose();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            using var lease = limiter.AttemptAcquire(context);
            Assert.True(lease.IsAcquired);
        }

        var perRequest = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        Assert.True(perRequest <= 40, $"{perRequest} bytes per request");
    }

    private static DefaultHttpContext Authenticated(Claim claim)
    {
        var context = Context("/api/campaigns", "203.0.113.7");
        context.User = new ClaimsPrincipal(new ClaimsIdentity([claim], ApiKeyAuthenticationHandler.SchemeName));
        return context;
    }

    private static DefaultHttpContext Context(string path, string address, string? apiKey = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (apiKey is not null)
        {
            context.Request.Headers["X-Api-Key"] = apiKey;
        }

        return context;
    }
}
