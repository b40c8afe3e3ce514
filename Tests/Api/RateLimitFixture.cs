using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>
/// One running Api with limits low enough for a test to reach: a bucket refills one permit a
/// second, so a burst sent at once meets the limit without any test waiting for a clock.
/// </summary>
public sealed class RateLimitFixture : IAsyncLifetime
{
    public const int ApiBurst = 10;
    public const int BeaconBurst = 5;

    private readonly TempDirectory _data = new();

    public AdClicksApiFactory Factory { get; private set; } = null!;

    public ApiScenario Scenario { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Factory = new AdClicksApiFactory(_data.Path, settings: new Dictionary<string, string>
        {
            ["AdClicks:RateLimits:ApiPermitsPerSecond"] = "1",
            ["AdClicks:RateLimits:ApiBurst"] = ApiBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AdClicks:RateLimits:BeaconPermitsPerSecond"] = "1",
            ["AdClicks:RateLimits:BeaconBurst"] = BeaconBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Start();
        Scenario = new ApiScenario(Factory);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        _data.Dispose();
    }
}
