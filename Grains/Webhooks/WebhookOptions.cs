using Microsoft.Extensions.Configuration;

namespace Orleans.AdClicks.Webhooks;

/// <summary>How webhooks are registered and delivered ("AdClicks:Webhooks").</summary>
public sealed class WebhookOptions
{
    public const string Section = "AdClicks:Webhooks";

    /// <summary>Accepts http:// URLs to loopback hosts, for tests and local development; only https otherwise.</summary>
    public bool AllowLoopbackHttp { get; set; }

    /// <summary>Attempts per event, the first included, before its delivery is given up as failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; it doubles after each further failure.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one attempt waits for the receiver's answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Finished deliveries each webhook keeps for GET /api/webhooks/{id}/deliveries.</summary>
    public int KeptDeliveries { get; set; } = 50;

    /// <summary>Webhooks one advertiser may register.</summary>
    public int MaxWebhooksPerAdvertiser { get; set; } = 20;

    /// <summary>The options configured under <see cref="Section"/>, checked.</summary>
    public static WebhookOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<WebhookOptions>() ?? new WebhookOptions();
        if (options.MaxAttempts < 1 || options.KeptDeliveries < 1 || options.MaxWebhooksPerAdvertiser < 1)
        {
            throw new ArgumentException($"{Section}: MaxAttempts, KeptDeliveries and MaxWebhooksPerAdvertiser must be at least 1.");
        }

        if (options.FirstRetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.FirstRetryDelay || options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{Section}: FirstRetryDelay and Timeout must be positive, MaxRetryDelay at least FirstRetryDelay.");
        }

        return options;
    }

    /// <summary>The wait after the <paramref name="attempts"/>th failed attempt: doubling from the first delay, capped.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var doublings = Math.Min(attempts - 1, 30);
        var delay = FirstRetryDelay * Math.Pow(2, doublings);
        return delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }
}
