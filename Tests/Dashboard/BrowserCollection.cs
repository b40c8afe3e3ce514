namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>The browser tests share one Chromium and run one after the other (each drives a whole page and an Api).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
