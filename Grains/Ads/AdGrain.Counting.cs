using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Events.Wire;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Streaming;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Orleans.AdClicks.Ads;

/// <summary>The counting half of <see cref="AdGrain"/>: stream events in, minute counts out.</summary>
public sealed partial class AdGrain
{
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        // One subscription per Event Hubs partition that carries this shard's events (ClickPartitionStreams).
        IAsyncBatchObserver<AdEvent> observer = ClickPartitionStreams.TryGetPartition(handleFactory.StreamId, out var partition)
            ? new PartitionObserver(this, partition)
            : this;
        await handleFactory.Create<AdEvent>().ResumeAsync(observer);
    }

    /// <summary>
    /// Events read from an Event Hubs partition. Its producers are not only this Api, which checks the ad before it writes:
    /// events of an ad that has no definition are refused here, where the definition is known, before the raw store.
    /// </summary>
    private async Task OnNextFromPartitionAsync(IList<SequentialItem<AdEvent>> items, string partition)
    {
        // An ad created after this activation read its definition is found on its next event.
        _info ??= await GrainFactory.GetGrain<IAdDefinitionGrain>(_key.AdId).GetAsync();
        if (_info is null)
        {
            streamMetrics.Rejected(AdEventRejection.TagOf(AdEventRejectReason.UnknownAd), items.Count);
            LogUnknownAd(_key.ToString(), items.Count, partition, Offset(items[0].Token), Offset(items[^1].Token));
            return;
        }

        await OnNextAsync(items);
    }

    private static string? Offset(StreamSequenceToken? token) => (token as IEventHubPartitionLocation)?.EventHubOffset;

    public async Task OnNextAsync(IList<SequentialItem<AdEvent>> items)
    {
        var events = new List<AdEvent>(items.Count);
        foreach (var item in items)
        {
            if (item.Item.AdId != _key.AdId)
            {
                LogWrongStream(_key.ToString(), item.Item.AdId);
                continue;
            }

            events.Add(item.Item);
            _campaignOfEvents = item.Item.CampaignId;
        }

        // The raw store is the dedup registry: it accepts each (kind, impression id) once, ever,
        // so a redelivered or replayed batch comes back empty here and is not counted again.
        IReadOnlyList<AdEvent> accepted;
        try
        {
            accepted = await rawClicks.AppendNewAsync(_key, events);
        }
        catch
        {
            _uncertain.UnionWith(events.Where(MinuteCounts.IsCounted).Select(e => e.Minute));
            _uncertainHours.UnionWith(events.Where(e => e.Billable).Select(BreakdownValues.HourOf));
            throw;
        }

        metrics.Received(events, accepted);
        // Billable events and invalid clicks, each counted in its own column.
        var counted = accepted.Where(MinuteCounts.IsCounted).ToList();

        // Only minutes this activation does not know need the raw store: late ones before what it recounted or
        // forgot, and uncertain ones. Recounting after the write already includes this batch: not added to.
        var unknown = counted.Select(e => e.Minute).Where(m => !_counts.IsKnown(m) || _uncertain.Contains(m)).Distinct().Order().ToList();
        try
        {
            var reason = unknown.All(_uncertain.Contains) ? CountingMetrics.RecountReason.Uncertain : CountingMetrics.RecountReason.Late;
            await RecountAsync(unknown, reason);
        }
        catch (Exception ex)
        {
            // The events are stored, so a redelivery would be refused: recounting at the next flush includes them.
            _uncertain.UnionWith(unknown);
            LogRecountFailed(ex, _key.ToString(), unknown.Count);
        }

        var recounted = unknown.ToHashSet();
        foreach (var adEvent in counted)
        {
            if (!recounted.Contains(adEvent.Minute))
            {
                _counts.Add(adEvent);
            }
        }

        await CountBreakdownsAsync([.. counted.Where(e => e.Billable)]);
        MarkDirtySince();
        LogCounted(_key.ToString(), events.Count, accepted.Count, counted.Count);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(ex, _key.ToString());
        return Task.CompletedTask;
    }

    public async Task<RepairedMinutes> RepairMinutesAsync(IReadOnlyList<DateTimeOffset> minutes)
    {
        var ordered = minutes.Select(MinuteBucket.Of).Distinct().Order().ToList();
        await RecountAsync(ordered, CountingMetrics.RecountReason.Repair, writeZeros: true);
        await RecountHoursAsync([.. ordered.Select(m => MinuteBucket.Truncate(m, Granularity.Hour)).Distinct()], rewrite: true);
        MarkDirtySince();
        if (!await FlushAsync(CancellationToken.None))
        {
            throw new InvalidOperationException($"Ad {_key}: the repaired minute counts could not be written; they are retried on the next flush.");
        }

        LogRepaired(_key.ToString(), ordered.Count);
        return new RepairedMinutes(CampaignId, _info?.AdvertiserId ?? Guid.Empty, ordered.Count);
    }

    /// <summary>
    /// Sets <paramref name="minutes"/> (ascending) to their recount from the raw store, in one read. A minute recounted
    /// to zero is written only when <paramref name="writeZeros"/>: a repair must overwrite a wrong row.
    /// </summary>
    private async Task RecountAsync(IReadOnlyList<DateTimeOffset> minutes, CountingMetrics.RecountReason reason, bool writeZeros = false)
    {
        if (minutes.Count == 0)
        {
            return;
        }

        metrics.Recounted(reason);
        var tallies = (await rawClicks.CountAsync(_key, minutes[0], minutes[^1].AddMinutes(1))).ToDictionary(t => t.Minute);
        foreach (var minute in minutes)
        {
            tallies.TryGetValue(minute, out var tally);
            _counts.Load(tally with { Minute = minute }, writeZeros);
            _uncertain.Remove(minute);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ad {AdKey}: {Events} events of Event Hubs partition {Partition}, offsets {FirstOffset} to {LastOffset}, skipped: unknown_ad: the ad has no definition")]
    private partial void LogUnknownAd(string adKey, int events, string partition, string? firstOffset, string? lastOffset);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ad {AdKey}: {Received} events received, {Accepted} new, {Counted} counted")]
    private partial void LogCounted(string adKey, int received, int accepted, int counted);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ad {AdKey}: an event of ad {AdId} arrived on this stream and was ignored")]
    private partial void LogWrongStream(string adKey, Guid adId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ad {AdKey}: writing {Rows} minute counts failed; retrying")]
    private partial void LogFlushFailed(Exception ex, string adKey, int rows);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ad {AdKey}: {Rows} minute counts kept dirty, the aggregate store's backlog is full: {Reason}")]
    private partial void LogFlushDeferred(string adKey, int rows, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ad {AdKey}: recounting {Minutes} minutes from the raw store failed; they are recounted at the next flush")]
    private partial void LogRecountFailed(Exception ex, string adKey, int minutes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ad {AdKey}: {Minutes} minutes repaired to their recount by reconciliation")]
    private partial void LogRepaired(string adKey, int minutes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ad {AdKey}: stream error")]
    private partial void LogStreamError(Exception ex, string adKey);

    /// <summary>The grain's observer of one partition's stream: the same counting, plus the partition.</summary>
    private sealed class PartitionObserver(AdGrain grain, string partition) : IAsyncBatchObserver<AdEvent>
    {
        public Task OnNextAsync(IList<SequentialItem<AdEvent>> items) => grain.OnNextFromPartitionAsync(items, partition);

        public Task OnCompletedAsync() => grain.OnCompletedAsync();

        public Task OnErrorAsync(Exception ex) => grain.OnErrorAsync(ex);
    }
}
