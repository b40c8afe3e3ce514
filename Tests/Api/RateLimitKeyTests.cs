using System.Net;
using Microsoft.AspNetCore.Http;
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

        var key = RateLimitKey.For(context);

        Assert.Equal(scope, key.Scope);
    }

    [Fact]
    public void For_ApiWithKey_HashNotKey()
    {
        const string apiKey = "ak_0123456789abcdef0123456789abcdef_secret";
        var context = Context("/api/campaigns", "203.0.113.7", apiKey);

        var key = RateLimitKey.For(context);

        Assert.Equal(RateLimitKey.Create(RateLimitScope.ApiKey, RateLimitKey.KeyId(apiKey)), key);
        Assert.NotEqual(RateLimitKey.Create(RateLimitScope.ApiKey, RateLimitKey.KeyId(apiKey + "x")), key);
        Assert.DoesNotContain("secret", key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void KeyId_LongerThanTheStackBuffer_Hashed()
    {
        Assert.NotEqual(RateLimitKey.KeyId(new string('a', 1000)), RateLimitKey.KeyId(new string('a', 1001)));
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
    public void For_ApiWithoutKey_AllocatesNothing()
    {
        var context = Context("/api/campaigns", "2001:db8::1");
        RateLimitKey.For(context);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            RateLimitKey.For(context);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>.NET 10's partitioned limiter allocates 32 bytes per acquisition itself; the key must add nothing.</summary>
    [Fact]
    public void Limiter_ApiFromKnownClient_AllocatesNoMoreThanTheFramework()
    {
        using var limiter = RateLimitExtensions.CreateLimiter(new RateLimitOptions { ApiPermitsPerSecond = 1_000_000, ApiBurst = 1_000_000 });
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
