using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Api.Hosting;

namespace Orleans.AdClicks.Tests.Api;

public sealed class BeaconRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryAcquire_BurstThenRefused_RetryAfterUntilNextPermit()
    {
        using var limiter = Limiter(permitsPerSecond: 10, burst: 5);
        var client = Context("203.0.113.7");

        var first = Enumerable.Range(0, 5).Select(i => limiter.TryAcquire(client, out _)).ToList();
        var refused = limiter.TryAcquire(client, out var retryAfter);

        Assert.All(first, Assert.True);
        Assert.False(refused);
        Assert.Equal(TimeSpan.FromMilliseconds(100), retryAfter);
    }

    [Fact]
    public void TryAcquire_AfterWaiting_RefilledAtTheRate()
    {
        using var limiter = Limiter(permitsPerSecond: 10, burst: 5);
        var client = Context("203.0.113.7");
        while (limiter.TryAcquire(client, out _))
        {
        }

        _time.Advance(TimeSpan.FromMilliseconds(300));

        var refilled = Enumerable.Range(0, 4).Select(i => limiter.TryAcquire(client, out _)).ToList();
        Assert.Equal([true, true, true, false], refilled);
    }

    [Fact]
    public void TryAcquire_OtherClient_HasItsOwnPermits()
    {
        using var limiter = Limiter(permitsPerSecond: 1, burst: 1);

        Assert.True(limiter.TryAcquire(Context("203.0.113.7"), out _));
        Assert.False(limiter.TryAcquire(Context("203.0.113.7"), out _));
        Assert.True(limiter.TryAcquire(Context("198.51.100.1"), out _));
    }

    [Fact]
    public void TryAcquire_ConcurrentCallers_NeverMoreThanTheBurst()
    {
        using var limiter = Limiter(permitsPerSecond: 1, burst: 100);
        var client = Context("203.0.113.7");
        var granted = 0;

        Parallel.For(0, 10_000, i =>
        {
            if (limiter.TryAcquire(client, out _))
            {
                Interlocked.Increment(ref granted);
            }
        });

        Assert.Equal(100, granted);
    }

    [Fact]
    public void TryAcquire_KnownClient_AllocatesNothingPerRequest()
    {
        using var limiter = Limiter(permitsPerSecond: 1_000_000, burst: 1_000_000);
        var client = Context("2001:db8::1");
        limiter.TryAcquire(client, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            limiter.TryAcquire(client, out _);
        }

        // Less than a byte a request: what is left is one-time runtime work, not the limiter.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1_000, $"{allocated} bytes for 1,000 requests");
    }

    [Fact]
    public void TryAcquire_RateAboveTheClockResolution_ConcurrentCallersWithinTheBurstAllGranted()
    {
        // A hundred million a second is under 1 tick (100 ns) a permit: the limit must still hold callers whose
        // clock reads race each other within its burst, on the real clock.
        using var limiter = new BeaconRateLimiter(
            Options.Create(new RateLimitOptions { BeaconPermitsPerSecond = 100_000_000, BeaconBurst = 100_000_000 }), TimeProvider.System);
        var client = Context("203.0.113.7");
        var refused = 0;

        Parallel.For(0, 2_000_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            if (!limiter.TryAcquire(client, out _))
            {
                Interlocked.Increment(ref refused);
            }
        });

        Assert.Equal(0, refused);
    }

    [Fact]
    public void TryAcquire_Disabled_AlwaysGranted()
    {
        using var limiter = new BeaconRateLimiter(Options.Create(new RateLimitOptions { Enabled = false, BeaconPermitsPerSecond = 1, BeaconBurst = 1 }), _time);
        var client = Context("203.0.113.7");

        Assert.All(Enumerable.Range(0, 10), i => Assert.True(limiter.TryAcquire(client, out _)));
    }

    private BeaconRateLimiter Limiter(int permitsPerSecond, int burst) =>
        new(Options.Create(new RateLimitOptions { BeaconPermitsPerSecond = permitsPerSecond, BeaconBurst = burst }), _time);

    private static DefaultHttpContext Context(string address)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return context;
    }
}
