using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>One running Api (co-hosted silo, embedded stores) shared by the tests of a class.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public AdClicksApiFactory Factory { get; private set; } = null!;

    public ApiScenario Scenario { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Factory = new AdClicksApiFactory(_data.Path).Start();
        Scenario = new ApiScenario(Factory);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        _data.Dispose();
    }
}
