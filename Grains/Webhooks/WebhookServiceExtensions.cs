using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Orleans.AdClicks.Webhooks;

public static class WebhookServiceExtensions
{
    /// <summary>
    /// Adds the webhook options, and the HTTP client and sender that deliver: a timeout per attempt, no redirects
    /// (a receiver may not send a delivery elsewhere) and public addresses only (<see cref="WebhookAddresses"/>). Both the Api (for its URL checks) and silos call it.
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var options = WebhookOptions.From(configuration);
        services.TryAddSingleton(Options.Create(options));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookSender>();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = options.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectCallback = (context, cancellationToken) => WebhookAddresses.ConnectAsync(context, options.AllowLoopbackHttp, cancellationToken),
            });
        return services;
    }
}
