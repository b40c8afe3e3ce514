using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.RawClicks;

namespace Orleans.AdClicks.Reconciliation;

/// <summary>
/// Reconciles one ad slice of one hour. The ads to look at are those the raw store's hour index names
/// (events that should be counted) and those the aggregate store has rows for (counts that may have no
/// events behind them). Each is recounted per minute and kind; a differing minute is repaired by the ad's
/// own grain, which recounts and writes it in turn with its counting, so the repair is the raw truth
/// at that moment and no later flush of an older count undoes it.
/// </summary>
public sealed class ReconciliationSliceGrain(
    IRawClickStore rawClicks,
    IAggregateQueries aggregates,
    IGrainFactory grains,
    IOptions<ReconciliationOptions> options,
    ReconciliationMetrics metrics)
    : Grain, IReconciliationSliceGrain
{
    // What earlier attempts of the same run repaired before one of their ads failed: a retry finds those
    // minutes right, so without this the report would lose them.
    private readonly Dictionary<(AdKey Ad, DateTimeOffset Minute, AdEventKind Kind, InvalidTrafficReason Invalid), ReconciliationMismatch> _repairedEarlier = [];
    private long _rowsRepairedEarlier;
    private Guid _runId;

    public async Task<SliceReconciliation> ReconcileAsync(Guid runId)
    {
        if (runId != _runId)
        {
            (_runId, _rowsRepairedEarlier) = (runId, 0);
            _repairedEarlier.Clear();
        }

        var (hour, slice) = ReconciliationHour.ParseSliceKey(this.GetPrimaryKeyString());
        var listing = rawClicks.ListActiveAdsAsync(hour, slice);
        var rowsByAd = (await aggregates.ReadHourAsync(hour, slice)).ToLookup(r => new AdKey(r.AdId, r.Shard));
        var ads = (await listing).Union(rowsByAd.Select(g => g.Key)).ToList();

        var mismatches = new ConcurrentBag<ReconciliationMismatch>();
        var failures = new ConcurrentBag<(AdKey Ad, Exception Error)>();
        long events = 0;
        long repaired = 0;
        // The bodies run on the thread pool, off this activation: they touch only the stores and the injected grain factory.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentAds };
        await Parallel.ForEachAsync(ads, parallel, async (ad, token) =>
        {
            try
            {
                var tallies = await rawClicks.CountAsync(ad, hour, hour.AddHours(1), token);
                Interlocked.Add(ref events, tallies.Sum(t => t.Clicks + t.Impressions));
                var differing = Compare(ad, tallies, rowsByAd[ad]);
                if (differing.Count == 0)
                {
                    return;
                }

                var repair = await grains.GetGrain<IAdGrain>(ad.ToString()).RepairMinutesAsync([.. differing.Select(m => m.Minute).Distinct()]);
                Interlocked.Add(ref repaired, repair.Rows);
                foreach (var mismatch in differing)
                {
                    // A missing row names no owner; the ad's grain does.
                    mismatches.Add(mismatch.AdvertiserId == Guid.Empty ? mismatch with { CampaignId = repair.CampaignId, AdvertiserId = repair.AdvertiserId } : mismatch);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add((ad, ex));
            }
        });

        foreach (var mismatch in mismatches)
        {
            _repairedEarlier.TryAdd((new AdKey(mismatch.AdId, mismatch.Shard), mismatch.Minute, mismatch.Kind, mismatch.Invalid), mismatch);
        }

        _rowsRepairedEarlier += repaired;
        if (!failures.IsEmpty)
        {
            var (ad, error) = failures.First();
            throw new InvalidOperationException($"{failures.Count} of {ads.Count} ads could not be reconciled; ad {ad}: {error.Message}", error);
        }

        var result = new SliceReconciliation(
            slice,
            ads.Count,
            events,
            [.. _repairedEarlier.Values.OrderBy(m => m.AdId).ThenBy(m => m.Shard).ThenBy(m => m.Minute).ThenBy(m => m.Kind).ThenBy(m => m.Invalid)],
            _rowsRepairedEarlier);
        metrics.SliceDone(result);
        return result;
    }

    /// <summary>Every (minute, kind) of the ad shard whose stored count differs from its recount, invalid clicks per reason.</summary>
    private static List<ReconciliationMismatch> Compare(AdKey ad, IReadOnlyList<MinuteTally> tallies, IEnumerable<MinuteCountRow> rows)
    {
        var stored = rows.ToDictionary(r => r.Minute);
        var recounted = tallies.ToDictionary(t => t.Minute);
        var differing = new List<ReconciliationMismatch>();
        foreach (var minute in stored.Keys.Union(recounted.Keys).Order())
        {
            recounted.TryGetValue(minute, out var expected);
            var found = stored.GetValueOrDefault(minute);
            if (expected.Clicks != found.Clicks)
            {
                differing.Add(new ReconciliationMismatch(ad.AdId, ad.Shard, found.CampaignId, found.AdvertiserId, minute, AdEventKind.Click, expected.Clicks, found.Clicks));
            }

            if (expected.Impressions != found.Impressions)
            {
                differing.Add(new ReconciliationMismatch(ad.AdId, ad.Shard, found.CampaignId, found.AdvertiserId, minute, AdEventKind.Impression, expected.Impressions, found.Impressions));
            }

            foreach (var reason in InvalidTraffic.Reasons.Where(r => expected.InvalidClicks[r] != found.InvalidClicks[r]))
            {
                differing.Add(new ReconciliationMismatch(
                    ad.AdId, ad.Shard, found.CampaignId, found.AdvertiserId, minute, AdEventKind.Click, expected.InvalidClicks[reason], found.InvalidClicks[reason], reason));
            }
        }

        return differing;
    }
}
