using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>The raw click store of the embedded profile: segment files in one directory of this process.</summary>
public static class EmbeddedRawClickStoreServiceExtensions
{
    /// <summary>
    /// Adds the store in <paramref name="directory"/>, timed on <see cref="RawClickMetrics"/>, opened (replayed in the
    /// background) when the host starts rather than on first use, with a health check tagged "ready" that fails
    /// until the replay finished.
    /// </summary>
    /// <param name="retention">How long per-minute tallies and the hour index are kept, by event time.</param>
    public static IServiceCollection AddEmbeddedRawClickStore(this IServiceCollection services, string directory, TimeSpan retention)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RawClickMetrics>();
        services.AddSingleton(sp => EmbeddedRawClickStore.Open(
            directory,
            retention,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<EmbeddedRawClickStore>>(),
            sp.GetRequiredService<RawClickMetrics>()));
        services.AddSingleton<IRawClickStore>(sp => new MeasuredRawClickStore(
            sp.GetRequiredService<EmbeddedRawClickStore>(),
            "embedded",
            sp.GetRequiredService<RawClickMetrics>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<EmbeddedRawClickStoreOpener>();
        services.AddHealthChecks().AddCheck<RawClickStoreReadyCheck>("raw-clicks", tags: ["ready"]);
        return services;
    }

    /// <summary>Opens the store at start, so its replay runs while the host comes up instead of in the first grain call.</summary>
    private sealed class EmbeddedRawClickStoreOpener(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<EmbeddedRawClickStore>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
