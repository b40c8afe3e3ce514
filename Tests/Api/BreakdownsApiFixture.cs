using Orleans.AdClicks.Tests.Enrichment;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>One running Api whose country database (a tiny one built here) places the loopback addresses the tests click from in New Zealand.</summary>
public sealed class BreakdownsApiFixture : IAsyncLifetime
{
    public const string LoopbackCountry = "NZ";

    private readonly TempDirectory _data = new();

    public AdClicksApiFactory Factory { get; private set; } = null!;

    public ApiScenario Scenario { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        var countries = Path.Combine(_data.Path, "countries.mmdb");
        new MmdbWriter().Add("127.0.0.0/8", LoopbackCountry).Add("::1/128", LoopbackCountry).Save(countries);
        Factory = new AdClicksApiFactory(Path.Combine(_data.Path, "data"), settings: new Dictionary<string, string>
        {
            ["AdClicks:Enrichment:CountryDatabasePath"] = countries,
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
