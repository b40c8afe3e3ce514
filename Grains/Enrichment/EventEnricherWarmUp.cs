using Microsoft.Extensions.Hosting;

namespace Orleans.AdClicks.Enrichment;

/// <summary>
/// Builds the enricher as the host starts and classifies one user agent, so the first beacon of a process neither
/// parses uap-core's rules nor builds the regexes a common browser needs.
/// </summary>
internal sealed class EventEnricherWarmUp(EventEnricher enricher) : IHostedService
{
    private const string CommonBrowser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        enricher.Enrich(CommonBrowser, null);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
