using Microsoft.Extensions.Logging;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Orleans.AdClicks.Ads;

/// <summary>
/// Holds an ad's definition (shard 0) and counts the clicks and impressions of one ad shard.
/// Write first, count second: an event is counted only after the raw store accepted it as new,
/// so a crash in between under-counts (repaired by recounting) and never double counts.
/// See docs/counting.md.
/// </summary>
[ImplicitStreamSubscription(Constants.ClicksNamespace)]
public sealed partial class AdGrain(
    [PersistentState("ad", Constants.GrainStore)] IPersistentState<AdGrainState> ad,
    IRawClickStore rawClicks,
    IAggregateStore aggregates,
    TimeProvider time,
    ILogger<AdGrain> logger)
    : Grain, IAdGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<AdEvent>
{
    // Minutes this recent are recounted when the grain activates, repairing a crash between a raw
    // write and the aggregate flush within seconds; older ones are left to reconciliation.
    private static readonly TimeSpan RecountOnActivation = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan FlushPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepWrittenMinutes = TimeSpan.FromMinutes(70);

    private readonly MinuteCounts _counts = new();

    // Minutes whose raw write failed part-way: some events may be stored and will be refused when
    // redelivered, so these minutes are recounted from the raw store rather than added to.
    private readonly HashSet<DateTimeOffset> _uncertain = [];
    private AdKey _key;
    private AdInfo? _info;

    // Tokens carry the campaign, so counts of an ad whose definition is missing still land in it.
    private Guid _campaignOfEvents;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!AdKey.TryParse(this.GetPrimaryKeyString(), out _key))
        {
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not an ad key.");
        }

        _info = _key.Shard == 0
            ? ToInfo()
            : await GrainFactory.GetGrain<IAdGrain>(new AdKey(_key.AdId, 0).ToString()).GetAsync();

        var to = MinuteBucket.Of(time.GetUtcNow()).AddMinutes(1);
        var from = to - RecountOnActivation;
        _counts.LoadRange(from, to, await rawClicks.CountAsync(_key, from, to, cancellationToken));

        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushPeriod, FlushPeriod) { Interleave = false });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
    }

    public async Task<AdInfo> CreateAsync(AdInfo definition)
    {
        if (_key.Shard != 0 || definition.Id != _key.AdId)
        {
            throw new ArgumentException("An ad is created on shard 0 of its own key.", nameof(definition));
        }

        if (ad.RecordExists)
        {
            throw new InvalidOperationException($"Ad {definition.Id:N} exists.");
        }

        ad.State.CampaignId = definition.CampaignId;
        ad.State.AdvertiserId = definition.AdvertiserId;
        ad.State.Name = definition.Name;
        ad.State.TargetUrl = definition.TargetUrl;
        ad.State.Creative = definition.Creative;
        ad.State.CreatedAt = definition.CreatedAt;
        await ad.WriteStateAsync();
        _info = ToInfo();
        return _info!;
    }

    public async Task<AdChange> UpdateAsync(AdSettings settings)
    {
        if (RefuseChange(allowArchived: false) is { } refused)
        {
            return refused;
        }

        ad.State.Name = settings.Name;
        ad.State.TargetUrl = settings.TargetUrl;
        ad.State.Creative = settings.Creative;
        return await SaveAsync();
    }

    public async Task<AdChange> SetStatusAsync(AdStatus status)
    {
        if (RefuseChange(allowArchived: status == AdStatus.Archived) is { } refused)
        {
            return refused;
        }

        if (ad.State.Status == status)
        {
            return new AdChange(ChangeOutcome.Changed, ToInfo());
        }

        ad.State.Status = status;
        return await SaveAsync();
    }

    public Task<AdInfo?> GetAsync() => Task.FromResult(_key.Shard == 0 ? ToInfo() : _info);

    private AdChange? RefuseChange(bool allowArchived) =>
        _key.Shard != 0 || !ad.RecordExists ? new AdChange(ChangeOutcome.NotFound, null)
        : ad.State.Status == AdStatus.Archived && !allowArchived ? new AdChange(ChangeOutcome.Conflict, ToInfo(), "An archived ad does not change.")
        : null;

    private async Task<AdChange> SaveAsync()
    {
        ad.State.UpdatedAt = time.GetUtcNow();
        await ad.WriteStateAsync();
        _info = ToInfo();
        return new AdChange(ChangeOutcome.Changed, _info);
    }

    private AdInfo? ToInfo() => ad.RecordExists
        ? new AdInfo(_key.AdId, ad.State.CampaignId, ad.State.AdvertiserId, ad.State.Name, ad.State.TargetUrl, ad.State.CreatedAt,
            ad.State.Status, ad.State.Creative, ad.State.UpdatedAt)
        : null;
}
