using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orleans.AdClicks.Hosting;

/// <summary>
/// Stopping within <see cref="HostOptions.ShutdownTimeout"/> (25 s by default, below the 30 s after which
/// Container Apps and Kubernetes kill a container that got SIGTERM), for both hosts of a silo: the Api
/// (co-hosted) and the headless Silo.
/// </summary>
public static partial class ShutdownExtensions
{
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Sets the shutdown timeout ("HostOptions:ShutdownTimeout" overrides it) and makes the silo's
    /// stop end with it: with storage unreachable, Orleans' stream, reminder and membership stages keep
    /// retrying after their token is cancelled, and the process would wait for the platform's SIGKILL.
    /// Call after <c>UseOrleans</c> (in the Api, after <c>AddAdClicksOrleans</c>); without a silo (the Api as a
    /// client) only the timeout is set.
    /// </summary>
    public static IHostApplicationBuilder AddBoundedShutdown(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HostOptions>().Configure(o => o.ShutdownTimeout = DefaultShutdownTimeout).BindConfiguration("HostOptions");
        var silo = services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName == "Orleans.Hosting.SiloHostedService");
        if (silo is not null)
        {
            // In its place: hosted services stop in reverse order, and the click log must stop (drain) before the silo.
            var type = silo.ImplementationType!;
            services[services.IndexOf(silo)] = ServiceDescriptor.Singleton<IHostedService>(sp => new BoundedStop(
                (IHostedService)ActivatorUtilities.CreateInstance(sp, type), sp.GetRequiredService<ILogger<BoundedStop>>()));
        }

        return builder;
    }

    /// <summary>A hosted service whose stop returns when its token is cancelled, whatever it is still doing.</summary>
    private sealed partial class BoundedStop(IHostedService inner, ILogger<BoundedStop> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            var stop = inner.StopAsync(cancellationToken);
            try
            {
                await stop.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (!stop.IsCompleted)
            {
                LogGaveUp();
            }
        }

        // The other silos see this one gone by its missed heartbeats, as after a crash.
        [LoggerMessage(Level = LogLevel.Warning, Message = "The silo had not stopped within the shutdown timeout (HostOptions:ShutdownTimeout); the process exits without waiting for it")]
        private partial void LogGaveUp();
    }
}
