using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// Turns request-binding failures (bad JSON, wrong types, body too large) into 400 problem+json
/// that names the field, instead of an empty answer.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        context.Response.StatusCode = badRequest.StatusCode;
        var json = badRequest.InnerException as JsonException;
        var field = json?.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
        // A 400 names the field; other binding failures (413: body too large) say what happened.
        var problem = badRequest.StatusCode == StatusCodes.Status400BadRequest
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [field] = [json is null ? badRequest.Message : IsUnknownField(json) ? $"'{field}' is an unknown field." : $"The JSON is invalid at '{json.Path ?? "$"}'."],
            })
            : new ProblemDetails { Detail = badRequest.Message };
        problem.Title = "Invalid request";
        problem.Status = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    // UnmappedMemberHandling.Disallow refuses a property no request type has; System.Text.Json says so only
    // in its message ("The JSON property 'x' could not be mapped to any .NET member contained in type …").
    private static bool IsUnknownField(JsonException json) =>
        json.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal);
}
