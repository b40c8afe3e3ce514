using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Tests.Events;

public sealed class AdKeyTests
{
    [Fact]
    public void ToString_ShardZero_IsPlainAdId()
    {
        var adId = Guid.NewGuid();

        Assert.Equal(adId.ToString("N"), new AdKey(adId, 0).ToString());
    }

    [Fact]
    public void TryParse_FormattedShardKey_RoundTrips()
    {
        var key = new AdKey(Guid.NewGuid(), 3);

        Assert.True(AdKey.TryParse(key.ToString(), out var parsed));
        Assert.Equal(key, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-guid")]
    [InlineData("0123456789abcdef0123456789abcdef#")]
    [InlineData("0123456789abcdef0123456789abcdef#0")]
    [InlineData("0123456789abcdef0123456789abcdef#-1")]
    public void TryParse_NotAKey_IsFalse(string? key)
    {
        Assert.False(AdKey.TryParse(key, out _));
    }

    [Fact]
    public void For_SameImpression_AlwaysSameShard()
    {
        var adId = Guid.NewGuid();
        var impressions = Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid()).ToList();

        var first = impressions.Select(i => AdKey.For(adId, i, 4)).ToList();
        var again = impressions.Select(i => AdKey.For(adId, i, 4)).ToList();

        Assert.Equal(first, again);
        Assert.Equal(4, first.Select(k => k.Shard).Distinct().Count());
        Assert.All(impressions, i => Assert.Equal(0, AdKey.For(adId, i, 1).Shard));
    }
}
