using System.Collections.Concurrent;
using System.Globalization;
using Azure.Core;
using Microsoft.Extensions.Logging.Testing;
using Orleans.AdClicks.Api.Beacons;
using Orleans.AdClicks.Api.Beacons.EventHubs;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Api.Kafka;

/// <summary>
/// SASL/OAUTHBEARER of the host-name form: librdkafka asks the refresh handler for a token as the producer starts;
/// the handler asks the connection's credential for the namespace's scope. Nothing leaves the machine: the
/// bootstrap is a loopback port nobody listens on.
/// </summary>
[Trait("Category", "EventHubs")]
public sealed class EventHubsTokenRefreshTests
{
    [Fact]
    public async Task Refresh_HostNameForm_AsksTheCredentialForTheNamespaceScope()
    {
        var credential = new RecordingCredential();
        var connection = EventHubsConnection.Parse("ConnectionStrings:EventHubs", "contoso.servicebus.windows.net", () => credential);

        using var log = NewLog(connection, new FakeLogger<KafkaClickLog>());
        var scopes = await credential.Asked.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(["https://contoso.servicebus.windows.net/.default"], scopes);
    }

    [Fact]
    public async Task Refresh_CredentialFails_ReportedToLibrdkafkaNotThrown()
    {
        var credential = new RecordingCredential(new InvalidOperationException("no identity here"));
        var connection = EventHubsConnection.Parse("ConnectionStrings:EventHubs", "contoso.servicebus.windows.net", () => credential);
        var logger = new FakeLogger<KafkaClickLog>();

        using var log = NewLog(connection, logger);

        // librdkafka turns the reported failure into an authentication error of the producer.
        await Eventually.MatchesAsync(
            () => Task.FromResult(logger.Collector.GetSnapshot().Select(r => r.Message).ToList()),
            messages => messages.Any(m => m.Contains("no identity here", StringComparison.Ordinal)));
    }

    [Fact]
    public void Refresh_ConnectionStringForm_CredentialNeverAsked()
    {
        var asked = false;
        var connection = EventHubsConnection.Parse("ConnectionStrings:EventHubs",
            "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=bm90LWEta2V5", () => { asked = true; return new RecordingCredential(); });

        using var log = NewLog(connection, new FakeLogger<KafkaClickLog>());

        Assert.False(asked);
    }

    private static KafkaClickLog NewLog(EventHubsConnection connection, FakeLogger<KafkaClickLog> logger)
    {
        var nobody = "127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var config = KafkaProducerConfig.For(connection, TimeSpan.FromSeconds(2), 1_000, [new("bootstrap.servers", nobody)]);
        return new KafkaClickLog(config, "clicks", connection, new ClickLogOptions(), logger);
    }

    private sealed class RecordingCredential(Exception? failure = null) : TokenCredential
    {
        public TaskCompletionSource<string[]> Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string[]> Requests { get; } = new();

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Requests.Enqueue(requestContext.Scopes);
            Asked.TrySetResult(requestContext.Scopes);
            return failure is null
                ? ValueTask.FromResult(new AccessToken("header.payload.signature", DateTimeOffset.UtcNow.AddHours(1)))
                : ValueTask.FromException<AccessToken>(failure);
        }
    }
}
