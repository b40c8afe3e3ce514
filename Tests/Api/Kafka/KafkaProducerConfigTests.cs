using Confluent.Kafka;
using Orleans.AdClicks.Api.Beacons.EventHubs;
using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Tests.Api.Kafka;

/// <summary>The producer configuration for each form of <c>ConnectionStrings:EventHubs</c>, as librdkafka gets it.</summary>
[Trait("Category", "EventHubs")]
public sealed class KafkaProducerConfigTests
{
    // Not a key of any namespace: the form is what matters.
    private const string ConnectionString = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=bm90LWEta2V5";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    [Fact]
    public void For_ConnectionString_SaslPlainWithTheConnectionStringAsPassword()
    {
        var connection = EventHubsConnection.Parse("ConnectionStrings:EventHubs", ConnectionString);

        var config = Dictionary(KafkaProducerConfig.For(connection, Deadline, 100_000, []));

        Assert.Equal("contoso.servicebus.windows.net:9093", config["bootstrap.servers"]);
        Assert.Equal("sasl_ssl", config["security.protocol"]);
        Assert.Equal("plain", config["sasl.mechanism"], ignoreCase: true);
        Assert.Equal("$ConnectionString", config["sasl.username"]);
        Assert.Equal(ConnectionString, config["sasl.password"]);
    }

    [Fact]
    public void For_HostName_OAuthBearerWithoutUserOrPassword()
    {
        var connection = EventHubsConnection.Parse("ConnectionStrings:EventHubs", "contoso.servicebus.windows.net");

        var config = Dictionary(KafkaProducerConfig.For(connection, Deadline, 100_000, []));

        Assert.Equal("contoso.servicebus.windows.net:9093", config["bootstrap.servers"]);
        Assert.Equal("sasl_ssl", config["security.protocol"]);
        Assert.Equal("oauthbearer", config["sasl.mechanism"], ignoreCase: true);
        Assert.False(config.ContainsKey("sasl.username"));
        Assert.False(config.ContainsKey("sasl.password"));
    }

    [Fact]
    public void For_AnyForm_IdempotentAllAcksLingerAndDeadline()
    {
        var connection = EventHubsConnection.Parse("ConnectionStrings:EventHubs", ConnectionString);

        var config = Dictionary(KafkaProducerConfig.For(connection, TimeSpan.FromMilliseconds(1500), 20_000, []));

        Assert.Equal("true", config["enable.idempotence"], ignoreCase: true);
        Assert.Equal("-1", config["acks"]);
        Assert.Equal("5", config["max.in.flight"]);
        Assert.Equal("5", config["linger.ms"]);
        Assert.Equal("1500", config["message.timeout.ms"]);
        Assert.Equal("20000", config["queue.buffering.max.messages"]);
        Assert.Equal("murmur2_random", config["partitioner"]);
    }

    [Fact]
    public void For_Overrides_ReplaceTheDefaults()
    {
        var connection = EventHubsConnection.Parse("ConnectionStrings:EventHubs", ConnectionString);

        var config = Dictionary(KafkaProducerConfig.For(connection, Deadline, 100_000,
            [new("bootstrap.servers", "127.0.0.1:9092"), new("security.protocol", "plaintext"), new("linger.ms", "20")]));

        Assert.Equal("127.0.0.1:9092", config["bootstrap.servers"]);
        Assert.Equal("plaintext", config["security.protocol"]);
        Assert.Equal("20", config["linger.ms"]);
    }

    [Theory]
    [InlineData("enable.idempotence", "false")]
    [InlineData("acks", "1")]
    [InlineData("request.required.acks", "0")]
    public void For_OverrideOfTheGuarantee_Refused(string key, string value)
    {
        var connection = EventHubsConnection.Parse("ConnectionStrings:EventHubs", ConnectionString);

        var error = Assert.Throws<InvalidOperationException>(() => KafkaProducerConfig.For(connection, Deadline, 100_000, [new(key, value)]));

        Assert.Contains($"AdClicks:EventHubs:Kafka:{key}", error.Message);
    }

    private static Dictionary<string, string> Dictionary(ProducerConfig config) => config.ToDictionary(p => p.Key, p => p.Value);
}
