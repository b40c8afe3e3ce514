using Azure.Core;

namespace Orleans.AdClicks.Tests.Kusto.Client;

/// <summary>A credential without network: hands out a fixed token and keeps the scopes it was asked for.</summary>
internal sealed class ScopeRecordingCredential : TokenCredential
{
    public const string Token = "test-token";

    public List<string> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Scopes.AddRange(requestContext.Scopes);
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
