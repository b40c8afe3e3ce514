using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Orleans.AdClicks.Storage.Kusto.Client;

namespace Orleans.AdClicks.Api.Analytics;

/// <summary>
/// Azure Data Explorer failed a read after the client's retries (throttling, an outage, a query it refused): a 503
/// problem+json with Retry-After instead of a bare 500. The server's message is logged with the request id, never
/// answered: it can name the cluster's internals.
/// </summary>
public sealed partial class AnalyticsUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<AnalyticsUnavailableExceptionHandler> logger) : IExceptionHandler
{
    private const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not KustoException kusto)
        {
            return false;
        }

        LogFailed(kusto, kusto.RequestId, kusto.StatusCode is { } status ? (int)status : null);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Analytics are unavailable",
                Detail = $"The aggregate store did not answer; try again in {RetryAfterSeconds} seconds.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Azure Data Explorer failed an analytics read (request id {RequestId}, status {Status})")]
    private partial void LogFailed(Exception exception, string? requestId, int? status);
}
