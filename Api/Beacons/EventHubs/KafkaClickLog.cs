using System.Text;
using Confluent.Kafka;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;
using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Api.Beacons.EventHubs;

/// <summary>
/// The click log on Event Hubs, over its Kafka endpoint: one record per event (key the ad shard's stream key, value
/// the event's JSON, docs/events.md) through one idempotent producer for the process. librdkafka batches the
/// records of all beacons by linger (group commit); a beacon's append completes when its record's delivery report
/// says Persisted (written with acks=all), and fails with <see cref="ClickLogUnavailableException"/> otherwise.
/// </summary>
/// <remarks>
/// No retry here beyond librdkafka's own, which the idempotent producer keeps free of duplicates; a record not
/// delivered within the beacon deadline (<c>message.timeout.ms</c>) fails its beacon with 503 and the browser may
/// retry, which a duplicate-refusing count allows.
/// </remarks>
public sealed partial class KafkaClickLog : IClickLog, IHostedService, IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _topic;
    private readonly int _shardsPerAd;
    private readonly TimeSpan _drainTimeout;
    private readonly ILogger<KafkaClickLog> _logger;
    private volatile bool _stopping;
    private volatile Error? _fatal;
    private long _delivered;
    private long _failed;

    public KafkaClickLog(ProducerConfig config, string topic, EventHubsConnection connection, ClickLogOptions options, ILogger<KafkaClickLog> logger)
    {
        _topic = topic;
        _shardsPerAd = options.ShardsPerAd;
        _drainTimeout = options.DrainTimeout;
        _logger = logger;
        var builder = new ProducerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, message) => LogLibrdkafka(Level(message.Level), message.Facility, message.Message));
        if (connection.UsesTokenCredential)
        {
            builder.SetOAuthBearerTokenRefreshHandler(EventHubsTokenRefresh.Handler(connection));
        }

        _producer = builder.Build();
        LogCreated(config.BootstrapServers, topic);
    }

    /// <summary>
    /// The error that ended the producer for good (e.g. an identity not allowed to send, refused when it asks for
    /// its idempotent producer id); null while it works. librdkafka does not recover from one: the process must restart.
    /// </summary>
    public Error? FatalError => _fatal;

    public async Task AppendAsync(AdEvent adEvent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_stopping)
        {
            throw new ClickLogUnavailableException(new InvalidOperationException("The click log is stopping."));
        }

        if (_fatal is { } fatal)
        {
            throw new ClickLogUnavailableException(new KafkaException(fatal));
        }

        var delivery = new Delivery(this);
        var message = new Message<byte[], byte[]>
        {
            Key = Encoding.UTF8.GetBytes(AdKey.For(adEvent.AdId, adEvent.ImpressionId, _shardsPerAd).ToString()),
            Value = AdEventWire.Encode(adEvent),
        };
        try
        {
            _producer.Produce(_topic, message, delivery.Report);
        }
        catch (Exception ex) when (ex is KafkaException or ObjectDisposedException)
        {
            // Refused before it was queued: the producer's queue is full (MaxPending) or the producer is gone.
            Interlocked.Increment(ref _failed);
            throw new ClickLogUnavailableException(ex);
        }

        // A beacon that gives up stops waiting; its record may still be delivered, and then it counts, as it should:
        // the click did happen, and a browser retry of it is refused as a duplicate.
        using var giveUp = cancellationToken.UnsafeRegister(static (state, token) => ((Delivery)state!).TrySetCanceled(token), delivery);
        await delivery.Task;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Waits at most <see cref="ClickLogOptions.DrainTimeout"/> for the delivery reports of the records the producer
    /// holds (Kestrel stops first, so no beacon adds to them meanwhile), then says how many it did not deliver.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var deliveredBefore = Interlocked.Read(ref _delivered);
        var failedBefore = Interlocked.Read(ref _failed);

        // Flush blocks its thread while librdkafka sends; a record's own timeout ends it within the beacon deadline.
        var unfinished = await Task.Run(() => _producer.Flush(_drainTimeout), CancellationToken.None);
        var delivered = Interlocked.Read(ref _delivered) - deliveredBefore;
        var failed = Interlocked.Read(ref _failed) - failedBefore;
        if (failed + unfinished == 0)
        {
            LogDrained(delivered);
        }
        else
        {
            LogNotDrained(failed, unfinished, delivered);
        }
    }

    public void Dispose() => _producer.Dispose();

    private void OnError(Error error)
    {
        if (error.IsFatal)
        {
            _fatal = error;
        }

        LogProducerError(error.IsFatal ? LogLevel.Critical : LogLevel.Warning, error.Code, error.Reason);
    }

    private static LogLevel Level(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "The click log produces to Event Hubs topic {Topic} at {BootstrapServers}")]
    private partial void LogCreated(string? bootstrapServers, string topic);

    [LoggerMessage(Message = "The click log's Kafka producer reports {Code}: {Reason}")]
    private partial void LogProducerError(LogLevel level, Confluent.Kafka.ErrorCode code, string reason);

    [LoggerMessage(Message = "librdkafka {Facility}: {Message}")]
    private partial void LogLibrdkafka(LogLevel level, string facility, string message);

    // Debug: in an outage every beacon fails this way; the producer error and the 503s say so once.
    [LoggerMessage(Level = LogLevel.Debug, Message = "A click log record was not delivered: {Code} {Reason} (persistence {Status})")]
    private partial void LogNotDelivered(Confluent.Kafka.ErrorCode code, string reason, PersistenceStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "The click log stopped after delivering every record it held ({Delivered} while stopping)")]
    private partial void LogDrained(long delivered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The click log stopped with {Failed} records not delivered and {Unfinished} still in the producer (they may still land); {Delivered} were delivered while stopping")]
    private partial void LogNotDrained(long failed, int unfinished, long delivered);

    /// <summary>One record's beacon wait, settled by its delivery report (on librdkafka's poll thread) or its beacon giving up.</summary>
    private sealed class Delivery(KafkaClickLog log) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public void Report(DeliveryReport<byte[], byte[]> report)
        {
            if (!report.Error.IsError && report.Status == PersistenceStatus.Persisted)
            {
                Interlocked.Increment(ref log._delivered);
                TrySetResult();
                return;
            }

            Interlocked.Increment(ref log._failed);
            log.LogNotDelivered(report.Error.Code, report.Error.Reason, report.Status);
            TrySetException(new ClickLogUnavailableException(new KafkaException(report.Error)));
        }
    }
}
