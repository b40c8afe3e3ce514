using Microsoft.Extensions.Configuration;

namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>In-memory configuration for tests of what hosts read from it.</summary>
public static class TestConfiguration
{
    public static IConfiguration Of(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
