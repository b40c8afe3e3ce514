using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;
using Orleans.Providers.Streams.AzureQueue;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;

namespace Orleans.AdClicks.Streaming;

/// <summary>
/// Writes and reads Azure Queue click log messages in the event wire format (<see cref="AdEventWire"/>), so any
/// producer can write them. A message or event that does not decode is logged, counted by reason and skipped;
/// the adapter never throws while reading, because one throw fails the pulling agent's whole read and the
/// message would come back forever, blocking the queue behind it. Messages in Orleans' own binary format
/// (written before this adapter) are still read.
/// </summary>
public sealed partial class ClickQueueDataAdapter(AzureQueueDataAdapterV2 previousFormat, ClickStreamMetrics? metrics, ILogger<ClickQueueDataAdapter> logger)
    : IQueueDataAdapter<string, IBatchContainer>
{
    /// <summary>Where a message that names no usable stream goes: a namespace nothing subscribes to, so it is dropped.</summary>
    public const string RejectedNamespace = "clicks-rejected";

    /// <summary>For <c>ConfigureQueueDataAdapter</c> of the Azure Queue stream provider.</summary>
    public static ClickQueueDataAdapter Create(IServiceProvider services, string providerName)
    {
        var meters = services.GetService<System.Diagnostics.Metrics.IMeterFactory>();
        return new ClickQueueDataAdapter(
            new AzureQueueDataAdapterV2(services.GetRequiredService<Serializer>()),
            meters is null ? null : new ClickStreamMetrics(meters),
            services.GetService<ILogger<ClickQueueDataAdapter>>() ?? NullLogger<ClickQueueDataAdapter>.Instance);
    }

    public string ToQueueMessage<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (typeof(T) != typeof(AdEvent) || streamId.GetNamespace() != Constants.ClicksNamespace)
        {
            throw new ArgumentException($"The click log carries {nameof(AdEvent)}s on namespace '{Constants.ClicksNamespace}', not {typeof(T).Name}s on '{streamId.GetNamespace()}'.", nameof(events));
        }

        return AdEventWire.EncodeBatch(streamId.GetKeyAsString(), events.Cast<AdEvent>());
    }

    public IBatchContainer FromQueueMessage(string cloudMsg, long sequenceId)
    {
        var token = new EventSequenceTokenV2(sequenceId);
        if (!cloudMsg.AsSpan().TrimStart().StartsWith("{") && TryReadPreviousFormat(cloudMsg, sequenceId) is { } previous)
        {
            return previous;
        }

        AdEventBatchDecoding decoded;
        try
        {
            decoded = AdEventWire.DecodeBatch(cloudMsg);
        }
        catch (Exception ex)
        {
            // The decoder refuses bad JSON itself; this is text it could not even take in (e.g. broken UTF-16).
            decoded = new AdEventBatchDecoding(null, [], [new AdEventRejection(AdEventRejectReason.Malformed, ex.Message)]);
        }

        foreach (var rejection in decoded.Rejections)
        {
            metrics?.Rejected(rejection.Tag);
            LogRejected(rejection.Tag, sequenceId, rejection.Index, decoded.StreamKey, rejection.Detail);
        }

        var streamId = decoded.StreamKey is null
            ? StreamId.Create(RejectedNamespace, "rejected")
            : StreamId.Create(Constants.ClicksNamespace, decoded.StreamKey);
        return new ClickBatchContainer(streamId, [.. decoded.Events], token);
    }

    private IBatchContainer? TryReadPreviousFormat(string message, long sequenceId)
    {
        try
        {
            return previousFormat.FromQueueMessage(message, sequenceId);
        }
        catch (Exception)
        {
            // Not Orleans' format either: the wire decoder says what is wrong with it.
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Click log message {SequenceId} (event {Index}, stream {StreamKey}) skipped: {Reason}: {Detail}")]
    private partial void LogRejected(string reason, long sequenceId, int index, string? streamKey, string detail);
}
