using Azure;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Orleans.AdClicks.Storage.RawClicks;

/// <summary>
/// Retries storage calls that failed transiently (5xx, throttling, timeouts, storage unreachable) with
/// exponential backoff, about 30 s in all, on top of the SDK's own few quick retries; then the error is thrown.
/// </summary>
internal static class RawClickResilience
{
    public static ResiliencePipeline Create(TimeProvider timeProvider, ILogger logger) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 6,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(8),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e
                    && (IsTransient(e) || (e is OperationCanceledException && !args.Context.CancellationToken.IsCancellationRequested))),
                OnRetry = args =>
                {
                    AzureTableRawClickStoreLog.Retrying(logger, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception!);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>Status 0 is the SDK's "no response" (connection refused or reset); the SDK wraps repeated failures in an AggregateException.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        HttpRequestException or TimeoutException or IOException => true,
        _ => false,
    };
}
