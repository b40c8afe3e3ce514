using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Reconciliation;

/// <summary>A completed run hands its mismatches to the mismatch log before it counts as complete, and a failed export is retried.</summary>
public sealed class ReconciliationMismatchLogTests : IAsyncLifetime
{
    private const string ResumeReminder = "resume";

    // Well before the latest closed hour, so the hourly reminder never runs it by itself.
    private readonly DateTimeOffset _hour = MinuteBucket.Truncate(DateTimeOffset.UtcNow, Granularity.Hour).AddHours(-3);
    private readonly TempDirectory _data = new();
    private readonly RecordingMismatchLog _log = new();
    private InProcessTestCluster _cluster = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IReconciliationRunGrain Run => _cluster.Client.GetGrain<IReconciliationRunGrain>(ReconciliationHour.Key(_hour));

    public async ValueTask InitializeAsync()
    {
        _cluster = await AdClicksTestCluster.DeployAsync(
            new Dictionary<string, string?> { ["AdClicks:DataDirectory"] = _data.Path, ["AdClicks:Reconciliation:AllowedLateness"] = "00:00:00" },
            silos: 1,
            configureSilo: silo => silo.Services.AddSingleton<IReconciliationMismatchLog>(_log));
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Complete_WithMismatches_ExportsExactlyTheReportsMismatchesOnce()
    {
        await MakeDriftAsync();

        var started = await _cluster.Client.GetGrain<IReconciliationGrain>(0).RunNowAsync(_hour);
        var done = await Eventually.MatchesAsync(async () => (await Run.GetReportsAsync())[^1], r => r.CompletedAt is not null, TimeSpan.FromSeconds(60));

        Assert.Equal(started.RunId, done.RunId);
        Assert.Equal(2, done.MismatchCount);
        var exported = Assert.Single(_log.Exported);
        Assert.Equal((done.RunId, done.CompletedAt), (exported.RunId, exported.CompletedAt));
        Assert.Equal(done.Mismatches, exported.Mismatches);
    }

    [Fact]
    public async Task Complete_ExportFails_RunStaysCurrentAndTheResumeExportsAgain()
    {
        await MakeDriftAsync();
        _log.FailuresLeft = 1;

        await _cluster.Client.GetGrain<IReconciliationGrain>(0).RunNowAsync(_hour);
        var stuck = await Eventually.MatchesAsync(async () => (await Run.GetReportsAsync())[^1], r => r.LastError is not null, TimeSpan.FromSeconds(60));

        Assert.Null(stuck.CompletedAt);
        Assert.Equal(AdSlice.Count, stuck.SlicesDone);
        Assert.Contains("export", stuck.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, _log.Attempts);
        Assert.Empty(_log.Exported);
        Assert.NotNull(await _cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>().ReadRow(Run.GetGrainId(), ResumeReminder, Ct));

        await Run.AsReference<IRemindable>().ReceiveReminder(ResumeReminder, default, Ct);
        var done = await Eventually.MatchesAsync(async () => (await Run.GetReportsAsync())[^1], r => r.CompletedAt is not null, TimeSpan.FromSeconds(60));

        Assert.Equal(stuck.RunId, done.RunId);
        Assert.Equal(2, _log.Attempts);
        var exported = Assert.Single(_log.Exported);
        Assert.Equal(done.Mismatches, exported.Mismatches);
        Assert.Equal(2, exported.Mismatches.Count);
    }

    // An aggregate row with clicks no raw event backs, and raw impressions no aggregate row counts: two mismatches.
    private async Task MakeDriftAsync()
    {
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var services = _cluster.Silos[0].ServiceProvider;
        await services.GetRequiredService<IMinuteCountWriter>().WriteAsync(
            [new MinuteCountRow(ad.Id, 0, ad.CampaignId, ad.AdvertiserId, _hour.AddMinutes(10), 7, 0, DateTimeOffset.UtcNow.UtcTicks)], Ct);
        var impressions = Enumerable.Range(0, 2).Select(i => new AdEvent(
            AdEventKind.Impression, Guid.NewGuid(), ad.Id, ad.CampaignId, _hour.AddMinutes(20).AddSeconds(i), _hour.AddMinutes(-5), _hour.AddHours(2), true, null, null)).ToList();
        Assert.Equal(2, (await services.GetRequiredService<IRawClickStore>().AppendNewAsync(new AdKey(ad.Id, 0), impressions, Ct)).Count);
    }

    /// <summary>Keeps the reports exported to it; fails the next <see cref="FailuresLeft"/> exports as an unreachable cluster would.</summary>
    private sealed class RecordingMismatchLog : IReconciliationMismatchLog
    {
        private readonly Lock _lock = new();
        private readonly List<ReconciliationReport> _exported = [];
        private int _attempts;
        private int _failuresLeft;

        public int FailuresLeft { get => Volatile.Read(ref _failuresLeft); set => Volatile.Write(ref _failuresLeft, value); }

        public int Attempts => Volatile.Read(ref _attempts);

        public IReadOnlyList<ReconciliationReport> Exported
        {
            get
            {
                lock (_lock)
                {
                    return [.. _exported];
                }
            }
        }

        public Task ExportAsync(ReconciliationReport report, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _attempts);
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                throw new HttpRequestException("The mismatch table is unreachable (a test's failure).");
            }

            lock (_lock)
            {
                _exported.Add(report);
            }

            return Task.CompletedTask;
        }
    }
}
