using System.Collections.Concurrent;
using Azure.Core;

namespace Orleans.AdClicks.Tests.Kusto.Client;

/// <summary>A credential without network: hands out a fixed token and keeps the scopes it was asked for (from any number of threads).</summary>
internal sealed class ScopeRecordingCredential : TokenCredential
{
    public const string Token = "test-token";

    public ConcurrentQueue<string> Scopes { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var scope in requestContext.Scopes)
        {
            Scopes.Enqueue(scope);
        }
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
