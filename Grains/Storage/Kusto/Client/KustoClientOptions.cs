namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>How the client names itself to the cluster and how it retries throttling and server errors.</summary>
public sealed record KustoClientOptions
{
    /// <summary>Sent as <c>x-ms-app</c> and as the prefix of every <c>x-ms-client-request-id</c>.</summary>
    public string ClientName { get; init; } = "Orleans.AdClicks";

    /// <summary>Retries after the first attempt, for 429, 5xx and network errors.</summary>
    public int MaxRetryAttempts { get; init; } = 4;

    /// <summary>The first backoff; it doubles, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);
}
