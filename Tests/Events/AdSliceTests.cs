using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Tests.Events;

public sealed class AdSliceTests
{
    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000", 0)]
    [InlineData("a7ffffff-0000-0000-0000-000000000000", 0xa7)]
    [InlineData("ff123456-7890-abcd-ef12-34567890abcd", 255)]
    public void Of_IsTheFirstTwoHexDigits(string adId, int slice)
    {
        Assert.Equal(slice, AdSlice.Of(Guid.Parse(adId)));
        Assert.StartsWith(AdSlice.Prefix(slice), adId, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_RandomIds_SpreadOverEverySlice()
    {
        var counts = new int[AdSlice.Count];
        for (var i = 0; i < AdSlice.Count * 100; i++)
        {
            counts[AdSlice.Of(Guid.NewGuid())]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 40, 200));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void Prefix_OutOfRange_Throws(int slice)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AdSlice.Prefix(slice));
    }
}
