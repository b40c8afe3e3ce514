using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>One running Api whose silo counts the calls that reach advertiser grains.</summary>
public sealed class ApiKeyFloodFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public AdvertiserGrainCalls AdvertiserCalls { get; } = new();

    public AdClicksApiFactory Factory { get; private set; } = null!;

    public ApiScenario Scenario { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Factory = new AdClicksApiFactory(_data.Path, services: services => services.AddSingleton<IIncomingGrainCallFilter>(AdvertiserCalls)).Start();
        Scenario = new ApiScenario(Factory);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        _data.Dispose();
    }
}
