using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;
using Orleans.AdClicks.Streaming;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.Providers.Streams.AzureQueue;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;

namespace Orleans.AdClicks.Tests.Events;

public sealed class ClickQueueDataAdapterTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddMetrics().AddSerializer().BuildServiceProvider();
    private readonly AdKey _key = new(Guid.NewGuid(), 3);

    private StreamId Stream => StreamId.Create(Constants.ClicksNamespace, _key.ToString());

    public void Dispose() => _services.Dispose();

    [Fact]
    public void FromQueueMessage_WrittenByToQueueMessage_SameStreamAndEvents()
    {
        var adapter = ClickQueueDataAdapter.Create(_services, "test");
        var events = new[] { Event(AdEventKind.Click), Event(AdEventKind.Impression) };

        var message = adapter.ToQueueMessage(Stream, events, null, null);
        var batch = adapter.FromQueueMessage(message, 41);

        Assert.StartsWith("{\"v\":1,", message, StringComparison.Ordinal);
        Assert.Equal(Stream, batch.StreamId);
        Assert.Equal(events, batch.GetEvents<AdEvent>().Select(e => e.Item1));
        Assert.Equal([0, 1], batch.GetEvents<AdEvent>().Select(e => ((Orleans.Providers.Streams.Common.EventSequenceTokenV2)e.Item2).EventIndex));
        Assert.Equal(41, ((Orleans.Providers.Streams.Common.EventSequenceTokenV2)batch.SequenceToken).SequenceNumber);
    }

    [Theory]
    [InlineData("<xml/>", "malformed")]
    [InlineData("""{"v":9,"stream":"x","events":[]}""", "unknown_version")]
    [InlineData("""{"v":1,"events":[]}""", "missing_field")]
    public void FromQueueMessage_RefusedMessage_CountedAndSentNowhere(string message, string reason)
    {
        var adapter = ClickQueueDataAdapter.Create(_services, "test");
        using var metrics = new MeasurementRecorder(ClickStreamMetrics.MeterName, [_services.GetRequiredService<IMeterFactory>()]);

        var batch = adapter.FromQueueMessage(message, 7);

        Assert.Equal(ClickQueueDataAdapter.RejectedNamespace, batch.StreamId.GetNamespace());
        Assert.Empty(batch.GetEvents<AdEvent>());
        Assert.Equal(1, metrics.Sum("adclicks.streaming.rejected", $"reason={reason}"));
    }

    [Fact]
    public void FromQueueMessage_OneBadEvent_OthersDeliveredAndTheBadOneCounted()
    {
        var adapter = ClickQueueDataAdapter.Create(_services, "test");
        var good = Event(AdEventKind.Click);
        var message = AdEventWire.EncodeBatch(_key.ToString(), [good, Event(AdEventKind.Click) with { AdId = Guid.NewGuid() }]);
        using var metrics = new MeasurementRecorder(ClickStreamMetrics.MeterName, [_services.GetRequiredService<IMeterFactory>()]);

        var batch = adapter.FromQueueMessage(message, 7);

        Assert.Equal(Stream, batch.StreamId);
        Assert.Equal([good], batch.GetEvents<AdEvent>().Select(e => e.Item1));
        Assert.Equal(1, metrics.Sum("adclicks.streaming.rejected", "reason=invalid_field"));
    }

    [Fact]
    public void FromQueueMessage_OrleansBinaryBatchFromBeforeTheWireFormat_StillRead()
    {
        var adapter = ClickQueueDataAdapter.Create(_services, "test");
        var events = new[] { Event(AdEventKind.Click) };
        var previous = new AzureQueueDataAdapterV2(_services.GetRequiredService<Serializer>()).ToQueueMessage(Stream, events, null, null);

        var batch = adapter.FromQueueMessage(previous, 3);

        Assert.Equal(Stream, batch.StreamId);
        Assert.Equal(events, batch.GetEvents<AdEvent>().Select(e => e.Item1));
    }

    [Fact]
    public void ClickBatchContainer_CopiedByOrleans_KeepsEverything()
    {
        var adapter = ClickQueueDataAdapter.Create(_services, "test");
        var events = new[] { Event(AdEventKind.Click), Event(AdEventKind.Impression) };
        var batch = adapter.FromQueueMessage(adapter.ToQueueMessage(Stream, events, null, null), 5);

        var serializer = _services.GetRequiredService<Serializer>();
        var copy = serializer.Deserialize<IBatchContainer>(serializer.SerializeToArray(batch))!;

        Assert.Equal(Stream, copy.StreamId);
        Assert.Equal(batch.SequenceToken, copy.SequenceToken);
        Assert.Equal(events, copy.GetEvents<AdEvent>().Select(e => e.Item1));
    }

    private AdEvent Event(AdEventKind kind)
    {
        var now = DateTimeOffset.UtcNow;
        return new AdEvent(kind, Guid.NewGuid(), _key.AdId, Guid.NewGuid(), now, now.AddMinutes(-1), now.AddDays(1), true, "Mozilla/5.0", "203.0.113.0");
    }
}
