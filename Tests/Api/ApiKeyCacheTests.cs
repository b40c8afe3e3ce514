using System.Security.Cryptography;
using Orleans.AdClicks.Api.Auth;

namespace Orleans.AdClicks.Tests.Api;

public sealed class ApiKeyCacheTests
{
    [Fact]
    public void Set_MoreKeysThanTheLimit_StaysWithinIt()
    {
        using var cache = new ApiKeyCache(maxEntries: 10);

        for (var i = 0; i < 100; i++)
        {
            cache.Set(RandomNumberGenerator.GetBytes(32), valid: false);
        }

        Assert.InRange(cache.Count, 1, 10);
    }

    [Fact]
    public void TryGet_AfterSet_TheAnswerCached()
    {
        using var cache = new ApiKeyCache();
        var (valid, revoked) = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));

        cache.Set(valid, valid: true);
        cache.Set(revoked, valid: false);

        Assert.True(cache.TryGet(valid, out var first) && first);
        Assert.True(cache.TryGet(revoked, out var second) && !second);
        Assert.False(cache.TryGet(RandomNumberGenerator.GetBytes(32), out _));
    }
}
