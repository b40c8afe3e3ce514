using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Orleans.AdClicks.Ads;

/// <summary>The counting half of <see cref="AdGrain"/>: stream events in, minute counts out.</summary>
public sealed partial class AdGrain
{
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        await handleFactory.Create<AdEvent>().ResumeAsync(this);
    }

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
            _uncertain.UnionWith(events.Where(e => e.Billable).Select(e => e.Minute));
            throw;
        }

        var billable = accepted.Where(e => e.Billable).ToList();

        // Recounting after the write already includes this batch: those minutes must not be added to.
        var unknown = billable.Select(e => e.Minute).Where(m => !_counts.IsKnown(m) || _uncertain.Contains(m)).Distinct().Order().ToList();
        await RecountAsync(unknown);

        var recounted = unknown.ToHashSet();
        foreach (var adEvent in billable)
        {
            if (!recounted.Contains(adEvent.Minute))
            {
                _counts.Add(adEvent);
            }
        }

        LogCounted(_key.ToString(), events.Count, accepted.Count, billable.Count);
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
        await RecountAsync(ordered, writeZeros: true);
        if (!await FlushAsync(CancellationToken.None))
        {
            throw new InvalidOperationException($"Ad {_key}: the repaired minute counts could not be written; they are retried on the next flush.");
        }

        LogRepaired(_key.ToString(), ordered.Count);
        return new RepairedMinutes(CampaignId, _info?.AdvertiserId ?? Guid.Empty, ordered.Count);
    }

    /// <summary>
    /// Sets <paramref name="minutes"/> (ascending) to their recount from the raw store. A minute recounted
    /// to zero is written only when <paramref name="writeZeros"/>: a repair must overwrite a wrong row.
    /// </summary>
    private async Task RecountAsync(IReadOnlyList<DateTimeOffset> minutes, bool writeZeros = false)
    {
        if (minutes.Count == 0)
        {
            return;
        }

        var tallies = (await rawClicks.CountAsync(_key, minutes[0], minutes[^1].AddMinutes(1))).ToDictionary(t => t.Minute);
        foreach (var minute in minutes)
        {
            tallies.TryGetValue(minute, out var tally);
            _counts.Load(minute, tally.Clicks, tally.Impressions, writeZeros);
            _uncertain.Remove(minute);
        }
    }

    /// <summary>Writes the dirty minutes; false when the write failed and they stay dirty.</summary>
    private async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        if (_uncertain.Count > 0)
        {
            try
            {
                await RecountAsync([.. _uncertain.Order()]);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRecountFailed(ex, _key.ToString(), _uncertain.Count);
            }
        }

        if (_counts.DirtyCount == 0)
        {
            return true;
        }

        var dirty = _counts.Dirty();
        var version = time.GetUtcNow().UtcTicks;
        var advertiserId = _info?.AdvertiserId ?? Guid.Empty;
        var rows = dirty
            .Select(m => new MinuteCountRow(_key.AdId, _key.Shard, CampaignId, advertiserId, m.Minute, m.Clicks, m.Impressions, version))
            .ToList();
        try
        {
            await aggregates.WriteAsync(rows, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Rows stay dirty and are written with a newer version on the next tick.
            LogFlushFailed(ex, _key.ToString(), rows.Count);
            return false;
        }

        _counts.MarkWritten(dirty);
        _counts.ForgetWrittenBefore(MinuteBucket.Of(time.GetUtcNow()) - KeepWrittenMinutes);
        return true;
    }

    private Guid CampaignId => _info?.CampaignId ?? _campaignOfEvents;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ad {AdKey}: {Received} events received, {Accepted} new, {Billable} counted")]
    private partial void LogCounted(string adKey, int received, int accepted, int billable);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ad {AdKey}: an event of ad {AdId} arrived on this stream and was ignored")]
    private partial void LogWrongStream(string adKey, Guid adId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ad {AdKey}: writing {Rows} minute counts failed; retrying")]
    private partial void LogFlushFailed(Exception ex, string adKey, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ad {AdKey}: recounting {Minutes} minutes after a failed raw write failed; retrying")]
    private partial void LogRecountFailed(Exception ex, string adKey, int minutes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ad {AdKey}: {Minutes} minutes repaired to their recount by reconciliation")]
    private partial void LogRepaired(string adKey, int minutes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ad {AdKey}: stream error")]
    private partial void LogStreamError(Exception ex, string adKey);
}
