using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>
/// The real Api (co-hosted silo) that may deliver to http on loopback, with retries a few hundred milliseconds apart,
/// and a real receiver on a loopback port.
/// </summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public const int MaxAttempts = 4;

    private readonly TempDirectory _data = new();

    public AdClicksApiFactory Factory { get; private set; } = null!;

    public ApiScenario Scenario { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Factory = new AdClicksApiFactory(_data.Path, settings: new Dictionary<string, string>
        {
            ["AdClicks:Webhooks:AllowLoopbackHttp"] = "true",
            ["AdClicks:Webhooks:FirstRetryDelay"] = "00:00:00.200",
            ["AdClicks:Webhooks:MaxRetryDelay"] = "00:00:00.400",
            ["AdClicks:Webhooks:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AdClicks:Webhooks:Timeout"] = "00:00:10",
        }).Start();
        Scenario = new ApiScenario(Factory);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Receiver.DisposeAsync();
        _data.Dispose();
    }
}
