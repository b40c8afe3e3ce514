using Azure.Core;
using Confluent.Kafka;
using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Api.Beacons.EventHubs;

/// <summary>
/// SASL/OAUTHBEARER for Event Hubs' Kafka endpoint: an Entra token for <c>https://{namespace}/.default</c> from the
/// connection's credential. librdkafka asks at start and again before the token expires.
/// </summary>
public static class EventHubsTokenRefresh
{
    /// <summary>The token scope of a namespace.</summary>
    public static string Scope(EventHubsConnection connection) => $"https://{connection.FullyQualifiedNamespace}/.default";

    /// <summary>
    /// The refresh handler. It returns at once and sets the token when the credential answers: librdkafka calls it
    /// on the thread that serves delivery reports, which a token request must not hold up. A failure is reported to
    /// librdkafka (it retries, and says so through the error handler), never thrown.
    /// </summary>
    public static Action<IClient, string> Handler(EventHubsConnection connection) => (client, oauthConfig) =>
    {
        _ = RefreshAsync(client, connection.Credential, Scope(connection));
    };

    private static async Task RefreshAsync(IClient client, TokenCredential credential, string scope)
    {
        try
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([scope]), CancellationToken.None).ConfigureAwait(false);
            client.OAuthBearerSetToken(token.Token, token.ExpiresOn.ToUnixTimeMilliseconds(), principalName: "adclicks-api");
        }
        catch (Exception ex)
        {
            try
            {
                client.OAuthBearerSetTokenFailure($"{ex.GetType().Name}: {ex.Message}");
            }
            catch (ObjectDisposedException)
            {
                // The producer is gone: nobody waits for the token.
            }
        }
    }
}
