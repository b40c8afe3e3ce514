using Confluent.Kafka;
using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Api.Beacons.EventHubs;

/// <summary>
/// The librdkafka configuration of the click log's producer for an Event Hubs namespace: idempotent, acks=all,
/// group commit by linger, delivery within the beacon deadline, the Java client's partitioner, and the
/// namespace's auth. Properties under <see cref="Section"/> are librdkafka's own and override these (tests point
/// them at a mock cluster; operators tune batching), except those the beacon's guarantee rests on.
/// </summary>
public static class KafkaProducerConfig
{
    /// <summary>librdkafka properties by their own names, e.g. <c>AdClicks:EventHubs:Kafka:linger.ms</c>.</summary>
    public const string Section = "AdClicks:EventHubs:Kafka";

    /// <summary>
    /// Up to 5 ms of waiting per record: at 50k events/s that is ~250 records per window for the process, over 32
    /// partitions ~8 per partition batch, one produce request per broker connection every 5 ms (~200/s) instead of
    /// one per beacon, for at most 5 ms (about 2.5 ms on average) added to a beacon's answer.
    /// </summary>
    public const int LingerMs = 5;

    /// <summary>A batch is sent when it reaches this many records before its linger ends (never at 50k/s: ~8 per 5 ms).</summary>
    public const int BatchNumMessages = 10_000;

    /// <summary>Event Hubs takes requests of at most 1 MB; a batch of one partition stays below it.</summary>
    public const int BatchSizeBytes = 1_000_000;

    /// <summary>The Event Hubs user name that says the password is a connection string.</summary>
    public const string ConnectionStringUser = "$ConnectionString";

    // The beacon answers only after a Persisted report: without these a report can say Persisted for a
    // record the leader alone has, or a retry can write a record twice.
    private static readonly HashSet<string> Guaranteed = new(StringComparer.OrdinalIgnoreCase)
    {
        "enable.idempotence", "acks", "request.required.acks", "enable.gapless.guarantee",
    };

    /// <param name="deadline">The beacon's deadline: a record not delivered by then fails instead of lingering on.</param>
    /// <param name="maxPending">Records the producer holds before it refuses new ones (the beacon answers 503).</param>
    /// <param name="overrides">The <see cref="Section"/> properties.</param>
    /// <exception cref="InvalidOperationException">An override of a property the guarantee rests on.</exception>
    public static ProducerConfig For(EventHubsConnection connection, TimeSpan deadline, int maxPending, IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = connection.KafkaBootstrapServers,
            ClientId = "adclicks-api",
            EnableIdempotence = true,
            Acks = Acks.All,
            MaxInFlight = 5,
            LingerMs = LingerMs,
            BatchNumMessages = BatchNumMessages,
            BatchSize = BatchSizeBytes,
            MessageTimeoutMs = (int)deadline.TotalMilliseconds,
            QueueBufferingMaxMessages = maxPending,
            // The Java client's: the same key goes to the same partition from this Api and from a Java producer.
            Partitioner = Partitioner.Murmur2Random,
            // The beacon needs the status alone; the report does not carry key and value back.
            DeliveryReportFields = "status",
            // Event Hubs closes connections idle for 240 s and recommends these below it.
            SocketKeepaliveEnable = true,
            MetadataMaxAgeMs = 180_000,
            ConnectionsMaxIdleMs = 180_000,
            SecurityProtocol = SecurityProtocol.SaslSsl,
        };
        if (connection.UsesTokenCredential)
        {
            // The token comes from EventHubsTokenRefresh.
            config.SaslMechanism = SaslMechanism.OAuthBearer;
        }
        else
        {
            config.SaslMechanism = SaslMechanism.Plain;
            config.SaslUsername = ConnectionStringUser;
            config.SaslPassword = connection.ConnectionString;
        }

        foreach (var (key, value) in overrides)
        {
            if (Guaranteed.Contains(key))
            {
                throw new InvalidOperationException($"{Section}:{key} cannot be set: the beacon's acknowledgement relies on the value the Api sets.");
            }

            if (value is not null)
            {
                config.Set(key, value);
            }
        }

        return config;
    }
}
