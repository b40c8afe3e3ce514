using System.Net;

namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>A query the cluster refused or failed, with the server's own message, whether in an error status or inside a 200.</summary>
public sealed class KustoException : Exception
{
    public KustoException(string message, string? code, HttpStatusCode? statusCode, bool isPermanent, string? requestId)
        : base(message)
    {
        Code = code;
        StatusCode = statusCode;
        IsPermanent = isPermanent;
        RequestId = requestId;
    }

    /// <summary>The server's error code, e.g. <c>General_BadRequest</c>; null when it gave none.</summary>
    public string? Code { get; }

    /// <summary>The HTTP status; 200 for an error carried inside a successful response.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The server says retrying the same request cannot succeed.</summary>
    public bool IsPermanent { get; }

    /// <summary>The <c>x-ms-client-request-id</c> of the failed request, to find it in the cluster's logs.</summary>
    public string? RequestId { get; }

    /// <summary>Throttling or a server error that the server did not call permanent.</summary>
    public bool IsTransient => !IsPermanent && StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;
}
