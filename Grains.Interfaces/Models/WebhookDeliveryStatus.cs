namespace Orleans.AdClicks.Models;

/// <summary>Where one event's delivery to one webhook stands.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Queued or between retries.</summary>
    Pending = 0,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered = 1,

    /// <summary>Every attempt failed; no more are made.</summary>
    Failed = 2,
}
