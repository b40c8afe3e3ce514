using System.Diagnostics.Metrics;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Reconciliation;

/// <summary>
/// Drift put into the stores on purpose behind the counting's back, on two silos with the real click
/// stream: the next run repairs exactly that and reports it, and a second run finds nothing.
/// One derived class per profile supplies the settings.
/// </summary>
public abstract class ReconciliationDriftTests : IAsyncLifetime
{
    private const int EventsPerAd = 60;

    // Hours well before the latest closed one, so the hourly reminder never runs them by itself.
    protected readonly DateTimeOffset _hour = MinuteBucket.Truncate(DateTimeOffset.UtcNow, Granularity.Hour).AddHours(-3);

    protected InProcessTestCluster _cluster = null!;

    protected TempDirectory Data { get; } = new();

    protected IClusterClient Client => _cluster.Client;

    private IRawClickStore RawClicks => _cluster.Silos[0].ServiceProvider.GetRequiredService<IRawClickStore>();

    // Silos in one process share the DuckDB file; any living one's store reads and writes it.
    protected DuckDbAggregateStore Aggregates => _cluster.Silos[0].ServiceProvider.GetRequiredService<DuckDbAggregateStore>();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            // The default periods (an hour, a minute): no reminder fires by itself while a test runs, except at
            // an hour's turn; the tests tick the reminders themselves (TickAsync), as the reminder service does.
            ["AdClicks:DataDirectory"] = Data.Path,
            ["AdClicks:Reconciliation:AllowedLateness"] = "00:00:00",
        };
        foreach (var (key, value) in await ProfileSettingsAsync())
        {
            settings[key] = value;
        }

        _cluster = await AdClicksTestCluster.DeployAsync(settings);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Data.Dispose();
    }

    /// <summary>What selects the profile: nothing for embedded, a connection string for Azure Storage.</summary>
    protected abstract Task<IReadOnlyDictionary<string, string?>> ProfileSettingsAsync();

    [Fact]
    public async Task Run_DriftInBothStores_RepairsExactlyThatAndReportsIt_ThenFindsNothing()
    {
        var ads = await Client.CreateAdsAsync(3);
        var events = ads.SelectMany(ad => Enumerable.Range(0, EventsPerAd).Select(i => NewEvent(ad, i))).ToList();
        await Client.PublishAsync([.. events, .. events.Take(20)]);
        await WaitUntilCountedAsync(ads, events);

        var clean = await RunAndWaitAsync();
        Assert.Equal((3, events.Count, 0, 0), (clean.AdsChecked, clean.EventsRecounted, clean.MismatchCount, clean.RowsRepaired));

        // Drift: a deleted row, a row with extra clicks, a row with no events behind it, and raw events the stream never brought.
        var (deleted, inflated, undelivered) = (ads[0], ads[1], ads[2]);
        var deletedMinute = _hour.AddMinutes(5);
        var inflatedMinute = _hour.AddMinutes(20);
        var phantom = new AdKey(Guid.NewGuid(), 0);
        await DeleteRowAsync(deleted.Id, deletedMinute);
        var inflatedRow = (await Aggregates.ReadHourAsync(_hour, AdSlice.Of(inflated.Id), Ct)).Single(r => r.AdId == inflated.Id && r.Minute == inflatedMinute);
        await Aggregates.WriteAsync(
            [
                inflatedRow with { Clicks = inflatedRow.Clicks + 5, Version = DateTimeOffset.UtcNow.UtcTicks },
                new MinuteCountRow(phantom.AdId, 0, Guid.NewGuid(), deleted.AdvertiserId, _hour.AddMinutes(40), 7, 0, DateTimeOffset.UtcNow.UtcTicks),
            ],
            Ct);
        var neverStreamed = Enumerable.Range(EventsPerAd, 3).Select(i => NewEvent(undelivered, i) with { Kind = AdEventKind.Click, Timestamp = _hour.AddMinutes(30) }).ToList();
        Assert.Equal(3, (await RawClicks.AppendNewAsync(new AdKey(undelivered.Id, 0), neverStreamed, Ct)).Count);
        var truth = Truth([.. events, .. neverStreamed]);
        using var metrics = new MeasurementRecorder(ReconciliationMetrics.MeterName, [.. _cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IMeterFactory>())]);

        var repaired = await RunAndWaitAsync();

        var deletedTruth = truth[(deleted.Id, deletedMinute)];
        var undeliveredBefore = truth[(undelivered.Id, _hour.AddMinutes(30))].Clicks - 3;
        Assert.Equal(
            new[]
            {
                (deleted.Id, deletedMinute, AdEventKind.Click, deletedTruth.Clicks, 0L),
                (deleted.Id, deletedMinute, AdEventKind.Impression, deletedTruth.Impressions, 0L),
                (inflated.Id, inflatedMinute, AdEventKind.Click, inflatedRow.Clicks, inflatedRow.Clicks + 5),
                (undelivered.Id, _hour.AddMinutes(30), AdEventKind.Click, undeliveredBefore + 3, undeliveredBefore),
                (phantom.AdId, _hour.AddMinutes(40), AdEventKind.Click, 0L, 7L),
            }.OrderBy(m => m.Item1).ThenBy(m => m.Item2).ThenBy(m => m.Item3),
            repaired.Mismatches.Select(m => (m.AdId, m.Minute, m.Kind, m.Expected, m.Found)).OrderBy(m => m.AdId).ThenBy(m => m.Minute).ThenBy(m => m.Kind));
        Assert.Equal((4, events.Count + 3, 5, 4), (repaired.AdsChecked, repaired.EventsRecounted, repaired.MismatchCount, repaired.RowsRepaired));
        Assert.All(repaired.Mismatches.Where(m => m.AdId != phantom.AdId), m => Assert.Equal(deleted.AdvertiserId, m.AdvertiserId));
        foreach (var ad in ads)
        {
            Assert.Equal(truth.Where(t => t.Key.Ad == ad.Id).ToDictionary(t => t.Key.Minute, t => t.Value), await MinutesAsync(ad.Id));
        }

        Assert.Empty(await MinutesAsync(phantom.AdId));
        Assert.Equal((4, 1, 4), (metrics.Sum("adclicks.reconciliation.mismatches", "kind=click"), metrics.Sum("adclicks.reconciliation.mismatches", "kind=impression"), metrics.Sum("adclicks.reconciliation.repairs")));

        var again = await RunAndWaitAsync();
        Assert.Equal((4, events.Count + 3, 0, 0), (again.AdsChecked, again.EventsRecounted, again.MismatchCount, again.RowsRepaired));
        Assert.Empty(again.Mismatches);

        // Reports and the list of hours survive their grains' deactivation: read back from grain storage.
        await Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, Ct);
        var reports = await Client.GetGrain<IReconciliationRunGrain>(ReconciliationHour.Key(_hour)).GetReportsAsync();
        Assert.Equal([clean.RunId, repaired.RunId, again.RunId], reports.Select(r => r.RunId));
        Assert.Contains(_hour, await Client.GetGrain<IReconciliationGrain>(0).ListHoursAsync(_hour.AddHours(-1), _hour.AddHours(1)));
    }

    [Fact]
    public async Task Run_WrongInvalidClickCounts_ReportsEachReasonsMismatchAndRepairsThem()
    {
        var ads = await Client.CreateAdsAsync(2);
        var (mixed, onlyInvalid) = (ads[0], ads[1]);
        var minute = _hour.AddMinutes(10);
        AdEvent Click(AdInfo ad, InvalidTrafficReason reason) =>
            NewEvent(ad, 0) with { Kind = AdEventKind.Click, Timestamp = minute, Billable = reason == InvalidTrafficReason.None, Invalid = reason };
        await Client.PublishAsync(
        [
            Click(mixed, InvalidTrafficReason.None), Click(mixed, InvalidTrafficReason.KnownCrawler), Click(mixed, InvalidTrafficReason.KnownCrawler),
            Click(mixed, InvalidTrafficReason.TooEarly), Click(onlyInvalid, InvalidTrafficReason.AddressFlood),
        ]);
        var mixedTruth = new InvalidClickCounts(0, 2, 1, 0, 0);
        var onlyInvalidTruth = new InvalidClickCounts(0, 0, 0, 1, 0);
        await Eventually.MatchesAsync(() => InvalidClicksAsync(mixed.Id, minute), c => c == mixedTruth, TimeSpan.FromSeconds(60));
        await Eventually.MatchesAsync(() => InvalidClicksAsync(onlyInvalid.Id, minute), c => c == onlyInvalidTruth, TimeSpan.FromSeconds(60));

        // Drift: one row with crawler clicks too many and its too-early click lost; the other ad's only row deleted, so
        // only the raw store's hour index names that ad.
        var row = (await Aggregates.ReadHourAsync(_hour, AdSlice.Of(mixed.Id), Ct)).Single(r => r.AdId == mixed.Id && r.Minute == minute);
        await Aggregates.WriteAsync([row with { InvalidClicks = mixedTruth with { KnownCrawler = 5, TooEarly = 0 }, Version = DateTimeOffset.UtcNow.UtcTicks }], Ct);
        await DeleteRowAsync(onlyInvalid.Id, minute);

        var repaired = await RunAndWaitAsync();

        Assert.Equal(
            new[]
            {
                (mixed.Id, "invalidClick.knownCrawler", 2L, 5L),
                (mixed.Id, "invalidClick.tooEarly", 1L, 0L),
                (onlyInvalid.Id, "invalidClick.addressFlood", 1L, 0L),
            }.OrderBy(m => m.Item1).ThenBy(m => m.Item2, StringComparer.Ordinal),
            repaired.Mismatches.Select(m => (m.AdId, m.KindName, m.Expected, m.Found)).OrderBy(m => m.AdId).ThenBy(m => m.KindName, StringComparer.Ordinal));
        Assert.All(repaired.Mismatches, m => Assert.Equal((AdEventKind.Click, minute, mixed.AdvertiserId), (m.Kind, m.Minute, m.AdvertiserId)));
        Assert.Equal((3, 2), (repaired.MismatchCount, repaired.RowsRepaired));
        Assert.Equal(mixedTruth, await InvalidClicksAsync(mixed.Id, minute));
        Assert.Equal(onlyInvalidTruth, await InvalidClicksAsync(onlyInvalid.Id, minute));
        Assert.Equal(1, (await Aggregates.ReadHourAsync(_hour, AdSlice.Of(mixed.Id), Ct)).Single(r => r.AdId == mixed.Id && r.Minute == minute).Clicks);

        var again = await RunAndWaitAsync();
        Assert.Empty(again.Mismatches);
    }

    [Fact]
    public async Task Run_SliceFails_KeepsTheOthersAndTheReminderResumesWithTheRest()
    {
        var ads = await Client.CreateAdsAsync(2);
        var events = ads.SelectMany(ad => Enumerable.Range(0, EventsPerAd).Select(i => NewEvent(ad, i))).ToList();
        await Client.PublishAsync(events);
        await WaitUntilCountedAsync(ads, events);

        // Each ad gets an inflated row; a row no ad grain can be asked to repair shares ads[1]'s slice, which fails until it is gone.
        var inflatedMinute = _hour.AddMinutes(20);
        var inflated = new List<MinuteCountRow>();
        foreach (var ad in ads)
        {
            var row = (await Aggregates.ReadHourAsync(_hour, AdSlice.Of(ad.Id), Ct)).Single(r => r.AdId == ad.Id && r.Minute == inflatedMinute);
            inflated.Add(row);
            await Aggregates.WriteAsync([row with { Clicks = row.Clicks + 2, Version = DateTimeOffset.UtcNow.UtcTicks }], Ct);
        }

        var broken = Guid.Parse(AdSlice.Prefix(AdSlice.Of(ads[1].Id)) + Guid.NewGuid().ToString("N")[2..]);
        await Aggregates.WriteAsync([new MinuteCountRow(broken, -1, Guid.NewGuid(), Guid.NewGuid(), _hour, 1, 0, 1)], Ct);
        var healthySlices = ads.Select(a => AdSlice.Of(a.Id)).Distinct().Count(s => s != AdSlice.Of(broken));
        var run = Client.GetGrain<IReconciliationRunGrain>(ReconciliationHour.Key(_hour));

        await Client.GetGrain<IReconciliationGrain>(0).RunNowAsync(_hour);
        var stuck = await Eventually.MatchesAsync(async () => (await run.GetReportsAsync())[^1], r => r.SlicesDone == AdSlice.Count - 1 && r.LastError is not null);
        Assert.Null(stuck.CompletedAt);
        Assert.Contains(AdSlice.Prefix(AdSlice.Of(broken)), stuck.LastError, StringComparison.Ordinal);
        Assert.Equal(healthySlices, stuck.MismatchCount);

        await DeleteRowAsync(broken, _hour, shard: -1);
        Assert.True(await HasReminderAsync(_cluster.Silos[0], run, ResumeReminder), "the unfinished run has no resume reminder");
        await TickAsync(run, ResumeReminder);
        var done = await Eventually.MatchesAsync(async () => (await run.GetReportsAsync())[^1], r => r.CompletedAt is not null);

        // ads[1] was repaired by the failing attempts, so the last one found it right; the report still tells of it.
        Assert.Equal(stuck.RunId, done.RunId);
        Assert.Equal((AdSlice.Count, 2, events.Count, 2, 2), (done.SlicesDone, done.AdsChecked, done.EventsRecounted, done.MismatchCount, done.RowsRepaired));
        Assert.Equal(
            inflated.Select(r => (r.AdId, AdEventKind.Click, r.Clicks, r.Clicks + 2)).OrderBy(m => m.AdId),
            done.Mismatches.Select(m => (m.AdId, m.Kind, m.Expected, m.Found)).OrderBy(m => m.AdId));
    }

    [Fact]
    public async Task Reminder_HourClosed_RunsItUnasked()
    {
        var reconciliation = Client.GetGrain<IReconciliationGrain>(0);
        var registered = await HasReminderAsync(_cluster.Silos[0], reconciliation, "hourly");

        await TickAsync(reconciliation, "hourly");

        // The hour before the latest closed one may be scheduled instead when the clock passes an hour meanwhile.
        var latest = MinuteBucket.Truncate(DateTimeOffset.UtcNow, Granularity.Hour).AddHours(-1);
        var hour = (await Eventually.MatchesAsync(() => reconciliation.ListHoursAsync(latest.AddHours(-1), latest.AddHours(1)), hours => hours.Count > 0))[^1];
        var report = await Eventually.MatchesAsync(
            async () => (await Client.GetGrain<IReconciliationRunGrain>(ReconciliationHour.Key(hour)).GetReportsAsync()) is [.., var last] ? last : null,
            r => r?.CompletedAt is not null);

        Assert.True(registered, "the silo did not register the hourly reminder at start");
        Assert.Equal(AdSlice.Count, report!.SlicesDone);
        Assert.Empty(await reconciliation.ListHoursAsync(_hour, _hour.AddHours(1)));
    }

    [Fact]
    public async Task RunNow_HourNotEnded_Refused()
    {
        var reconciliation = Client.GetGrain<IReconciliationGrain>(0);

        await Assert.ThrowsAsync<ArgumentException>(() => reconciliation.RunNowAsync(MinuteBucket.Truncate(DateTimeOffset.UtcNow, Granularity.Hour)));
        await Assert.ThrowsAsync<ArgumentException>(() => reconciliation.RunNowAsync(_hour.AddMinutes(1)));
    }

    protected const string ResumeReminder = "resume";

    /// <summary>Whether <paramref name="grain"/> has the reminder registered, as the cluster's reminder table says.</summary>
    protected static async Task<bool> HasReminderAsync(InProcessSiloHandle silo, IAddressable grain, string name) =>
        await silo.ServiceProvider.GetRequiredService<IReminderTable>().ReadRow(grain.GetGrainId(), name) is not null;

    /// <summary>
    /// Delivers one tick of the reminder, as the reminder service would when it is due, retrying while the grain
    /// cannot be reached (a silo just died).
    /// </summary>
    protected static Task TickAsync(IAddressable grain, string reminder) =>
        Eventually.MatchesAsync(
            async () =>
            {
                try
                {
                    await grain.AsReference<IRemindable>().ReceiveReminder(reminder, default);
                    return true;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    return false;
                }
            },
            ticked => ticked,
            TimeSpan.FromSeconds(120));

    protected AdEvent NewEvent(AdInfo ad, int i) => new(
        // Minutes 0–14 get two events of different kinds, later ones one.
        i % 2 == 0 ? AdEventKind.Click : AdEventKind.Impression,
        Guid.NewGuid(),
        ad.Id,
        ad.CampaignId,
        _hour.AddMinutes(i % 45).AddSeconds(i % 50),
        _hour.AddMinutes(-5),
        _hour.AddHours(2),
        Billable: true,
        "Mozilla/5.0",
        "203.0.113.0");

    private static Dictionary<(Guid Ad, DateTimeOffset Minute), (long Clicks, long Impressions)> Truth(IEnumerable<AdEvent> events) =>
        events.GroupBy(e => (e.AdId, e.Minute)).ToDictionary(
            g => g.Key,
            g => ((long)g.Count(e => e.Kind == AdEventKind.Click), (long)g.Count(e => e.Kind == AdEventKind.Impression)));

    protected async Task WaitUntilCountedAsync(List<AdInfo> ads, List<AdEvent> events)
    {
        var truth = Truth(events);
        foreach (var ad in ads)
        {
            var expected = truth.Where(t => t.Key.Ad == ad.Id).ToDictionary(t => t.Key.Minute, t => t.Value);
            await Eventually.MatchesAsync(() => MinutesAsync(ad.Id), minutes => minutes.Count == expected.Count && !minutes.Except(expected).Any(), TimeSpan.FromSeconds(60));
        }
    }

    private async Task<ReconciliationReport> RunAndWaitAsync()
    {
        var started = await Client.GetGrain<IReconciliationGrain>(0).RunNowAsync(_hour);
        var run = Client.GetGrain<IReconciliationRunGrain>(ReconciliationHour.Key(_hour));
        return await Eventually.MatchesAsync(
            async () => (await run.GetReportsAsync()).Single(r => r.RunId == started.RunId),
            report => report.CompletedAt is not null,
            TimeSpan.FromSeconds(60));
    }

    /// <summary>The ad's counts per minute of the hour, over its shards; rows of zero are left out.</summary>
    private async Task<Dictionary<DateTimeOffset, (long Clicks, long Impressions)>> MinutesAsync(Guid adId)
    {
        var rows = await Aggregates.ReadHourAsync(_hour, AdSlice.Of(adId), Ct);
        return rows.Where(r => r.AdId == adId && r.Clicks + r.Impressions > 0)
            .GroupBy(r => r.Minute)
            .ToDictionary(g => g.Key, g => (g.Sum(r => r.Clicks), g.Sum(r => r.Impressions)));
    }

    /// <summary>The ad's invalid clicks in one minute, over its shards.</summary>
    private async Task<InvalidClickCounts> InvalidClicksAsync(Guid adId, DateTimeOffset minute) =>
        InvalidClickCounts.Sum((await Aggregates.ReadHourAsync(_hour, AdSlice.Of(adId), Ct)).Where(r => r.AdId == adId && r.Minute == minute).Select(r => r.InvalidClicks));

    // The aggregate store offers no delete: drift is made in its DuckDB file directly, as an operator's mistake would be.
    protected async Task DeleteRowAsync(Guid adId, DateTimeOffset minute, int shard = 0)
    {
        await using var connection = new DuckDBConnection(new DuckDBConnectionStringBuilder { DataSource = Path.GetFullPath(Path.Combine(Data.Path, "aggregates.duckdb")) }.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM minute_counts WHERE ad_id = $ad AND shard = $shard AND minute = $minute";
        command.Parameters.Add(new DuckDBParameter("ad", adId));
        command.Parameters.Add(new DuckDBParameter("shard", shard));
        command.Parameters.Add(new DuckDBParameter("minute", minute.UtcDateTime));
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
    }
}

/// <summary>The drift tests on the embedded profile: segment files and DuckDB.</summary>
public sealed class EmbeddedReconciliationTests : ReconciliationDriftTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> ProfileSettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());
}

/// <summary>The drift tests on the Azure Storage profile: Table Storage raw clicks, queue streams, table reminders.</summary>
[Trait("Category", "Azurite")]
public sealed class AzuriteReconciliationTests : ReconciliationDriftTests
{
    private Azurite? _azurite;

    [Fact]
    public async Task Run_SiloHostingItDies_AnotherSiloFinishesIt()
    {
        var ads = await Client.CreateAdsAsync(2);
        var events = ads.SelectMany(ad => Enumerable.Range(0, 20).Select(i => NewEvent(ad, i))).ToList();
        await Client.PublishAsync(events);
        await WaitUntilCountedAsync(ads, events);
        var row = (await Aggregates.ReadHourAsync(_hour, AdSlice.Of(ads[0].Id), Ct)).First(r => r.AdId == ads[0].Id);
        await Aggregates.WriteAsync([row with { Impressions = row.Impressions + 4, Version = DateTimeOffset.UtcNow.UtcTicks }], Ct);

        // A row no ad grain can repair keeps the run unfinished until the silo running it is gone.
        var broken = Guid.Parse((AdSlice.Of(ads[0].Id) == 0 ? "01" : "00") + Guid.NewGuid().ToString("N")[2..]);
        await Aggregates.WriteAsync([new MinuteCountRow(broken, -1, Guid.NewGuid(), Guid.NewGuid(), _hour, 1, 0, 1)], Ct);
        var run = Client.GetGrain<IReconciliationRunGrain>(ReconciliationHour.Key(_hour));
        await Client.GetGrain<IReconciliationGrain>(0).RunNowAsync(_hour);
        var stuck = await Eventually.MatchesAsync(async () => (await run.GetReportsAsync())[^1], r => r.SlicesDone == AdSlice.Count - 1);

        var host = await Client.GetGrain<IManagementGrain>(0).GetActivationAddress(run, Ct);
        var dying = _cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        var survivor = _cluster.Silos.Single(s => s != dying);
        await _cluster.KillSiloAsync(dying, Ct);
        await DeleteRowAsync(broken, _hour, shard: -1);
        // The resume reminder is in Azure Table Storage, so it outlives the silo and fires on the survivor.
        Assert.True(await Eventually.MatchesAsync(
            async () =>
            {
                try
                {
                    return await HasReminderAsync(survivor, run, ResumeReminder);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The reminder ring is still taking over the dead silo's range.
                    return false;
                }
            },
            found => found,
            TimeSpan.FromSeconds(120)));
        await TickAsync(run, ResumeReminder);
        var done = await Eventually.MatchesAsync(async () => (await run.GetReportsAsync())[^1], r => r.CompletedAt is not null, TimeSpan.FromSeconds(120));

        Assert.Equal(stuck.RunId, done.RunId);
        Assert.Equal(survivor.SiloAddress, await Client.GetGrain<IManagementGrain>(0).GetActivationAddress(run, Ct));
        Assert.Equal((AdSlice.Count, 1, 1), (done.SlicesDone, done.MismatchCount, done.RowsRepaired));
        Assert.Equal((ads[0].Id, AdEventKind.Impression, row.Impressions, row.Impressions + 4), done.Mismatches.Select(m => (m.AdId, m.Kind, m.Expected, m.Found)).Single());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    protected override async Task<IReadOnlyDictionary<string, string?>> ProfileSettingsAsync()
    {
        _azurite = await Azurite.StartAsync();
        return new Dictionary<string, string?> { ["ConnectionStrings:AzureStorage"] = _azurite.ConnectionString };
    }
}
