using Orleans.AdClicks.Api.InvalidTraffic;

namespace Orleans.AdClicks.Tests.Api.InvalidTraffic;

public sealed class ClickWindowsTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly Guid Ad = Guid.NewGuid();

    [Fact]
    public void Admit_BeyondTheLimitInAWindow_Refused()
    {
        var windows = new ClickWindows(100);

        var admitted = Enumerable.Range(0, 5).Select(i => windows.Admit("10.0.0.0", Ad, Guid.NewGuid(), Start.AddSeconds(i), 3, Window)).ToList();

        Assert.Equal([true, true, true, false, false], admitted);
    }

    [Fact]
    public void Admit_RetriesOfAnAdmittedClick_NeitherCountNorFlood()
    {
        var windows = new ClickWindows(100);
        var impression = Guid.NewGuid();

        var retries = Enumerable.Range(0, 10).Select(i => windows.Admit("10.0.0.0", Ad, impression, Start.AddSeconds(i), 2, Window)).ToList();
        var other = windows.Admit("10.0.0.0", Ad, Guid.NewGuid(), Start.AddSeconds(11), 2, Window);
        var third = windows.Admit("10.0.0.0", Ad, Guid.NewGuid(), Start.AddSeconds(12), 2, Window);

        Assert.All(retries, Assert.True);
        Assert.True(other);
        Assert.False(third);
    }

    [Fact]
    public void Admit_AfterTheWindow_AdmittedAgain()
    {
        var windows = new ClickWindows(100);
        windows.Admit("10.0.0.0", Ad, Guid.NewGuid(), Start, 1, Window);

        var inWindow = windows.Admit("10.0.0.0", Ad, Guid.NewGuid(), Start.AddSeconds(59), 1, Window);
        var next = windows.Admit("10.0.0.0", Ad, Guid.NewGuid(), Start.AddSeconds(60), 1, Window);

        Assert.False(inWindow);
        Assert.True(next);
    }

    [Fact]
    public void Admit_OtherAddressOrAd_CountedApart()
    {
        var windows = new ClickWindows(100);
        windows.Admit("10.0.0.0", Ad, Guid.NewGuid(), Start, 1, Window);

        Assert.True(windows.Admit("10.0.1.0", Ad, Guid.NewGuid(), Start, 1, Window));
        Assert.True(windows.Admit("10.0.0.0", Guid.NewGuid(), Guid.NewGuid(), Start, 1, Window));
    }

    [Fact]
    public void Admit_MorePairsThanTheTable_StaysBounded()
    {
        var windows = new ClickWindows(1_000);

        for (var i = 0; i < 10_000; i++)
        {
            windows.Admit($"10.{i / 256 % 256}.{i % 256}.0", Ad, Guid.NewGuid(), Start, 1, Window);
        }

        Assert.InRange(windows.Count, 1, 1_100);
    }
}
