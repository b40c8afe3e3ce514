namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>One <see cref="Azurite"/> shared by the tests of a class (<c>IClassFixture&lt;AzuriteFixture&gt;</c>).</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? _azurite;

    public Azurite Azurite => _azurite ?? throw new InvalidOperationException("Azurite is not started yet.");

    public async ValueTask InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
