using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Ads;

/// <summary>
/// The breakdown half of <see cref="AdGrain"/>: billable events counted per UTC hour, dimension and value, exactly
/// once as the minute counts are. An hour this activation does not know is recounted from the raw store after the
/// write that accepted its first event, and that batch's events of the hour are then not added: the recount has them.
/// </summary>
public sealed partial class AdGrain
{
    // Written hours older than the previous one are forgotten; a late event recounts its hour again.
    private static readonly TimeSpan KeepWrittenHours = TimeSpan.FromHours(1);

    /// <summary>Adds the newly accepted billable events to their hours, recounting the hours not known first.</summary>
    private async Task CountBreakdownsAsync(IReadOnlyList<AdEvent> billable)
    {
        if (billable.Count == 0)
        {
            return;
        }

        var unknown = billable.Select(BreakdownValues.HourOf).Where(h => !_breakdowns.IsKnown(h) || _uncertainHours.Contains(h)).Distinct().Order().ToList();
        try
        {
            await RecountHoursAsync(unknown);
        }
        catch (Exception ex)
        {
            // The events are stored, so a redelivery would be refused: recounting at the next flush includes them.
            _uncertainHours.UnionWith(unknown);
            LogHourRecountFailed(ex, _key.ToString(), unknown.Count);
        }

        var recounted = unknown.ToHashSet();
        foreach (var adEvent in billable)
        {
            if (!recounted.Contains(BreakdownValues.HourOf(adEvent)))
            {
                _breakdowns.Add(adEvent);
            }
        }
    }

    private async Task RecountUncertainHoursAsync()
    {
        if (_uncertainHours.Count == 0)
        {
            return;
        }

        try
        {
            await RecountHoursAsync([.. _uncertainHours.Order()]);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogHourRecountFailed(ex, _key.ToString(), _uncertainHours.Count);
        }
    }

    /// <summary>
    /// Sets <paramref name="hours"/> (ascending hour starts) to their recount from the raw store, in one read. With
    /// <paramref name="rewrite"/> (a repair) every value of them is written again.
    /// </summary>
    private async Task RecountHoursAsync(IReadOnlyList<DateTimeOffset> hours, bool rewrite = false)
    {
        if (hours.Count == 0)
        {
            return;
        }

        var tallies = (await rawClicks.CountBreakdownsAsync(_key, hours[0], hours[^1].AddHours(1))).ToLookup(t => t.Hour);
        foreach (var hour in hours)
        {
            _breakdowns.Load(hour, tallies[hour], rewrite);
            _uncertainHours.Remove(hour);
        }
    }

    /// <summary>Writes the dirty breakdown entries with the flush's version; false when the write failed and they stay dirty.</summary>
    private async Task<bool> WriteBreakdownsAsync(long version, Guid advertiserId, CancellationToken cancellationToken)
    {
        var dirty = _breakdowns.Dirty();
        var written = true;
        if (dirty.Count > 0)
        {
            var rows = dirty
                .Select(b => new HourBreakdownRow(_key.AdId, _key.Shard, CampaignId, advertiserId, b.Hour, b.Dimension, b.Value, b.Clicks, b.Impressions, version))
                .ToList();
            try
            {
                await breakdownWriter.WriteBreakdownsAsync(rows, cancellationToken);
                _breakdowns.MarkWritten(dirty);
            }
            catch (AggregateBacklogFullException ex)
            {
                LogBreakdownFlushDeferred(_key.ToString(), rows.Count, ex.Message);
                written = false;
            }
            catch (Exception ex)
            {
                // They stay dirty and are written with a newer version on the next tick.
                LogBreakdownFlushFailed(ex, _key.ToString(), rows.Count);
                written = false;
            }
        }

        _breakdowns.ForgetWrittenBefore(MinuteBucket.Truncate(time.GetUtcNow(), Granularity.Hour) - KeepWrittenHours);
        return written;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ad {AdKey}: recounting the breakdowns of {Hours} hours from the raw store failed; they are recounted at the next flush")]
    private partial void LogHourRecountFailed(Exception ex, string adKey, int hours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ad {AdKey}: writing {Rows} hourly breakdown rows failed; retrying")]
    private partial void LogBreakdownFlushFailed(Exception ex, string adKey, int rows);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ad {AdKey}: {Rows} hourly breakdown rows kept dirty, the aggregate store's backlog is full: {Reason}")]
    private partial void LogBreakdownFlushDeferred(string adKey, int rows, string reason);
}
