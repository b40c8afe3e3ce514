using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Breakdowns;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Streaming;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Orleans.AdClicks.Ads;

/// <summary>
/// Counts the clicks and impressions of one ad shard; the ad's definition is its <see cref="AdDefinitionGrain"/>.
/// Write first, count second: an event is counted only after the raw store accepted it as new,
/// so a crash in between under-counts (repaired by recounting) and never double counts.
/// See docs/counting.md.
/// </summary>
[GrainType("adcounting")]
[RegexImplicitStreamSubscription(Constants.ClicksNamespacePattern)]
public sealed partial class AdGrain(
    IRawClickStore rawClicks,
    IMinuteCountWriter aggregates,
    IHourBreakdownWriter breakdownWriter,
    IAggregateQueries aggregateQueries,
    CountingMetrics metrics,
    ClickStreamMetrics streamMetrics,
    TimeProvider time,
    ILogger<AdGrain> logger)
    : Grain, IAdGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<AdEvent>
{
    // Minutes this recent are recounted when the grain activates, repairing a crash between a raw
    // write and the aggregate flush within seconds; older ones are left to reconciliation.
    private static readonly TimeSpan RecountOnActivation = TimeSpan.FromMinutes(10);

    // Event times come from the Api's clock, and an earlier activation may have run on a silo whose clock is
    // ahead of this one: the activation's recount reaches this far ahead, so every minute it did not find is zero.
    private static readonly TimeSpan RecountAhead = TimeSpan.FromDays(1);
    private static readonly TimeSpan FlushPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepWrittenMinutes = TimeSpan.FromMinutes(70);

    private readonly MinuteCounts _counts = new();
    private readonly HourBreakdowns _breakdowns = new();

    // Hours whose raw write failed part-way, or whose breakdown recount failed after a write: recounted, not added to.
    private readonly HashSet<DateTimeOffset> _uncertainHours = [];

    // Minutes whose raw write failed part-way, or whose recount failed after a write: some of their events are
    // stored and will be refused when redelivered, so these minutes are recounted rather than added to.
    private readonly HashSet<DateTimeOffset> _uncertain = [];
    private AdKey _key;
    private AdInfo? _info;

    // Tokens carry the campaign, so counts of an ad whose definition is missing still land in it.
    private Guid _campaignOfEvents;

    // The highest row version this shard ever wrote: every flush writes a higher one, whatever the clock says.
    private long _lastVersion;

    // When the oldest minute count not yet written became dirty: the flush lag.
    private DateTimeOffset? _dirtySince;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!AdKey.TryParse(this.GetPrimaryKeyString(), out _key))
        {
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not an ad key.");
        }

        var definition = GrainFactory.GetGrain<IAdDefinitionGrain>(_key.AdId).GetAsync();
        var latestVersion = aggregateQueries.ReadLatestVersionAsync(_key, cancellationToken);
        var now = MinuteBucket.Of(time.GetUtcNow());
        var from = now.AddMinutes(1) - RecountOnActivation;
        metrics.Recounted(CountingMetrics.RecountReason.Activation);
        // The same one read reaches back to the start of the hour: an hour it finds without events has no breakdowns
        // either, so its first event needs no breakdown read. Only the last ten minutes are taken as minute counts.
        var hour = MinuteBucket.Truncate(now, Granularity.Hour);
        var read = hour < from ? hour : from;
        var tallies = await rawClicks.CountAsync(_key, read, now + RecountAhead, cancellationToken);
        _counts.LoadFrom(from, tallies);
        _breakdowns.KnowEmptyFrom(read, tallies.Select(t => t.Minute));
        MarkDirtySince();
        _lastVersion = await latestVersion ?? 0;
        _info = await definition;

        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushPeriod, FlushPeriod) { Interleave = false });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
    }

    /// <summary>Writes the dirty minutes and hourly breakdowns; false when a write failed and its rows stay dirty.</summary>
    private async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        if (_uncertain.Count > 0)
        {
            try
            {
                await RecountAsync([.. _uncertain.Order()], CountingMetrics.RecountReason.Uncertain);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRecountFailed(ex, _key.ToString(), _uncertain.Count);
            }

            MarkDirtySince();
        }

        await RecountUncertainHoursAsync();
        if (_counts.DirtyCount == 0 && _breakdowns.DirtyCount == 0)
        {
            return true;
        }

        var dirty = _counts.Dirty();
        // Strictly above every version this shard wrote before, also on a silo whose clock is behind; taken
        // before the write, which may land even when it throws.
        var version = _lastVersion = Math.Max(time.GetUtcNow().UtcTicks, _lastVersion + 1);
        var advertiserId = _info?.AdvertiserId ?? Guid.Empty;
        var rows = dirty
            .Select(m => new MinuteCountRow(_key.AdId, _key.Shard, CampaignId, advertiserId, m.Minute, m.Clicks, m.Impressions, version, m.InvalidClicks))
            .ToList();

        // Both writes are started before either is awaited, so a store that groups writes commits them together.
        var breakdownsWritten = WriteBreakdownsAsync(version, advertiserId, cancellationToken);
        try
        {
            await aggregates.WriteAsync(rows, cancellationToken);
        }
        catch (AggregateBacklogFullException ex)
        {
            // Expected while the backend is slow or away, and the store logs and measures its backlog itself: one
            // quiet line per grain and tick, no stack trace. The rows stay dirty as after any failed write.
            LogFlushDeferred(_key.ToString(), rows.Count, ex.Message);
            await breakdownsWritten;
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Rows stay dirty and are written with a newer version on the next tick.
            LogFlushFailed(ex, _key.ToString(), rows.Count);
            await breakdownsWritten;
            return false;
        }

        var now = time.GetUtcNow();
        _counts.MarkWritten(dirty);
        _counts.ForgetWrittenBefore(MinuteBucket.Of(now) - KeepWrittenMinutes);
        metrics.Flushed(now - (_dirtySince ?? now));
        _dirtySince = null;
        MarkDirtySince();
        return await breakdownsWritten;
    }

    private void MarkDirtySince()
    {
        if (_counts.DirtyCount > 0)
        {
            _dirtySince ??= time.GetUtcNow();
        }
    }

    private Guid CampaignId => _info?.CampaignId ?? _campaignOfEvents;
}
