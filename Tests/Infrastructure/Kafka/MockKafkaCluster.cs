using System.Runtime.InteropServices;
using System.Text;

namespace Orleans.AdClicks.Tests.Infrastructure.Kafka;

/// <summary>
/// librdkafka's in-process mock cluster: real Kafka brokers on loopback ports, speaking the wire protocol (produce
/// with idempotence and acks=all, fetch, metadata), whose brokers a test can take down and bring back.
/// Confluent.Kafka does not expose the mock API, so this calls librdkafka's C functions itself.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private const string Library = "librdkafka";
    private readonly IntPtr _handle;
    private readonly IntPtr _cluster;

    static MockKafkaCluster()
    {
        // The package ships a glibc build that needs libsasl2.so.3 (not on Debian) and a self-contained
        // CentOS 8 one; Confluent.Kafka falls back the same way.
        NativeLibrary.SetDllImportResolver(typeof(MockKafkaCluster).Assembly, (name, assembly, path) =>
            name != Library ? IntPtr.Zero
            : NativeLibrary.TryLoad("centos8-librdkafka", assembly, path, out var handle) ? handle
            : NativeLibrary.TryLoad(name, assembly, path, out handle) ? handle
            : IntPtr.Zero);
    }

    /// <param name="brokers">Broker ids are 1 to <paramref name="brokers"/>.</param>
    public MockKafkaCluster(int brokers = 3)
    {
        var error = new StringBuilder(512);
        var conf = rd_kafka_conf_new();

        // This handle only owns the cluster: it connects nowhere, so its warning that it has no bootstrap is noise.
        rd_kafka_conf_set(conf, "log_level", "3", error, (nuint)error.Capacity);
        _handle = rd_kafka_new(0, conf, error, (nuint)error.Capacity);
        if (_handle == IntPtr.Zero)
        {
            throw new InvalidOperationException($"librdkafka: {error}");
        }

        _cluster = rd_kafka_mock_cluster_new(_handle, brokers);
        if (_cluster == IntPtr.Zero)
        {
            rd_kafka_destroy(_handle);
            throw new InvalidOperationException("librdkafka made no mock cluster.");
        }

        BootstrapServers = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(_cluster))!;
        Brokers = brokers;
    }

    /// <summary>The brokers' addresses, for <c>bootstrap.servers</c> (with <c>security.protocol=plaintext</c>).</summary>
    public string BootstrapServers { get; }

    public int Brokers { get; }

    /// <summary>The configuration that points the Api's producer at this cluster.</summary>
    public Dictionary<string, string> ProducerSettings() => new()
    {
        ["AdClicks:EventHubs:Kafka:bootstrap.servers"] = BootstrapServers,
        ["AdClicks:EventHubs:Kafka:security.protocol"] = "plaintext",
    };

    public void CreateTopic(string topic, int partitions, int replicationFactor) =>
        Check(rd_kafka_mock_topic_create(_cluster, topic, partitions, replicationFactor), $"creating topic {topic}");

    /// <summary>Closes every broker's connections and refuses new ones, as a network partition would.</summary>
    public void TakeDown()
    {
        for (var id = 1; id <= Brokers; id++)
        {
            Check(rd_kafka_mock_broker_set_down(_cluster, id), $"taking broker {id} down");
        }
    }

    public void BringUp()
    {
        for (var id = 1; id <= Brokers; id++)
        {
            Check(rd_kafka_mock_broker_set_up(_cluster, id), $"bringing broker {id} up");
        }
    }

    /// <summary>The next <paramref name="errors"/>.Length requests of Kafka API <paramref name="apiKey"/> get these error codes.</summary>
    public void FailNext(short apiKey, params int[] errors) =>
        Check(rd_kafka_mock_push_request_errors_array(_cluster, apiKey, (nuint)errors.Length, errors), $"pushing errors for API {apiKey}");

    public void Dispose()
    {
        rd_kafka_mock_cluster_destroy(_cluster);
        rd_kafka_destroy(_handle);
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"librdkafka error {error} {what}.");
        }
    }

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_conf_new();

    [DllImport(Library, CharSet = CharSet.Ansi)]
    private static extern int rd_kafka_conf_set(IntPtr conf, string name, string value, StringBuilder errstr, nuint errstrSize);

    [DllImport(Library, CharSet = CharSet.Ansi)]
    private static extern IntPtr rd_kafka_new(int type, IntPtr conf, StringBuilder errstr, nuint errstrSize);

    [DllImport(Library)]
    private static extern void rd_kafka_destroy(IntPtr rk);

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokers);

    [DllImport(Library)]
    private static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_topic_create(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, nuint count, int[] errors);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);
}
