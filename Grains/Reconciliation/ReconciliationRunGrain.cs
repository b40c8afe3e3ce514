using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Webhooks;

namespace Orleans.AdClicks.Reconciliation;

/// <summary>
/// Runs the reconciliation of one hour: one slice worker per ad slice, a few at a time, each result
/// persisted as it lands. Ingestion is never waited on: workers only read the stores and ask ad
/// grains to rewrite the minutes that differ. While a run is unfinished a reminder resumes it, so a failed
/// slice or a lost silo delays the report but never loses the slices already done. The finished report's mismatches
/// go to the <see cref="IReconciliationMismatchLog"/> before the run counts as complete.
/// </summary>
public sealed partial class ReconciliationRunGrain(
    [PersistentState("run", Constants.GrainStore)] IPersistentState<ReconciliationRunState> run,
    IOptions<ReconciliationOptions> options,
    IReconciliationMismatchLog mismatchLog,
    ReconciliationMetrics metrics,
    TimeProvider time,
    ILogger<ReconciliationRunGrain> logger)
    : Grain, IReconciliationRunGrain, IRemindable
{
    private const string ResumeReminder = "resume";

    // Reports of older runs of the same hour kept; each manual rerun adds one.
    private const int KeptReports = 24;

    private DateTimeOffset _hour;

    // The timer driving the run in progress in this activation, and what completes when it is done.
    // Calls of RunAsync never interleave with each other (only the timer's callback interleaves), so
    // checking and setting these needs no lock.
    private IGrainTimer? _runner;
    private TaskCompletionSource? _runnerDone;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _hour = ReconciliationHour.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<ReconciliationReport> RunAsync()
    {
        if (_runnerDone is { } finishing && run.State.Current is null)
        {
            // The last run is completing: a new one starts after it, not inside it.
            await finishing.Task;
        }

        if (_runner is null)
        {
            if (run.State.Current is null)
            {
                run.State.Current = ReconciliationReport.Start(_hour, time.GetUtcNow());
                run.State.DoneSlices.Clear();
                try
                {
                    await run.WriteStateAsync();
                }
                catch
                {
                    run.State.Current = null;
                    throw;
                }

                LogStarted(_hour, run.State.Current.RunId);
            }

            // The run outlives this call: a one-shot timer drives it and keeps the activation alive meanwhile.
            // It interleaves, so reports can be read and this call answered while slices are out.
            _runnerDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _runner = this.RegisterGrainTimer(RunSlicesAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true, Interleave = true });
        }

        var report = run.State.Current!;
        await this.RegisterOrUpdateReminder(ResumeReminder, options.Value.ResumePeriod, options.Value.ResumePeriod);
        return report;
    }

    public Task<IReadOnlyList<ReconciliationReport>> GetReportsAsync() =>
        Task.FromResult<IReadOnlyList<ReconciliationReport>>(run.State.Current is { } current ? [.. run.State.Completed, current] : [.. run.State.Completed]);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (run.State.Current is null)
        {
            await UnregisterResumeAsync();
            return;
        }

        await RunAsync();
    }

    private async Task RunSlicesAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A sliding window of slices: a slow slice holds one place, not a whole wave.
            var pending = new Queue<int>(Enumerable.Range(0, AdSlice.Count).Where(s => !run.State.DoneSlices.Contains(s)));
            var running = new List<Task<(int Slice, SliceReconciliation? Result, string? Error)>>();
            string? lastError = null;
            while (pending.Count > 0 || running.Count > 0)
            {
                while (running.Count < options.Value.MaxConcurrentSlices && pending.TryDequeue(out var next))
                {
                    running.Add(ReconcileSliceAsync(next));
                }

                var finished = await Task.WhenAny(running);
                running.Remove(finished);
                var (slice, result, error) = await finished;
                if (result is not null)
                {
                    run.State.Current = run.State.Current!.Add(result);
                    run.State.DoneSlices.Add(slice);
                }

                lastError = error ?? lastError;
                run.State.Current = run.State.Current! with { LastError = lastError };
                await run.WriteStateAsync(cancellationToken);
            }

            if (run.State.DoneSlices.Count == AdSlice.Count)
            {
                await CompleteAsync();
            }
        }
        catch (Exception ex)
        {
            // Progress so far is persisted; the resume reminder picks the run up again.
            LogInterrupted(ex, _hour);
        }
        finally
        {
            _runner?.Dispose();
            _runner = null;
            _runnerDone?.SetResult();
            _runnerDone = null;
        }
    }

    private async Task<(int Slice, SliceReconciliation? Result, string? Error)> ReconcileSliceAsync(int slice)
    {
        try
        {
            return (slice, await GrainFactory.GetGrain<IReconciliationSliceGrain>(ReconciliationHour.SliceKey(_hour, slice)).ReconcileAsync(run.State.Current!.RunId), null);
        }
        catch (Exception ex)
        {
            LogSliceFailed(ex, _hour, slice);
            return (slice, null, $"Slice {AdSlice.Prefix(slice)}: {ex.Message}");
        }
    }

    private async Task CompleteAsync()
    {
        var now = time.GetUtcNow();
        var report = run.State.Current! with { CompletedAt = now, LastError = null };

        // Exported before the run is marked complete: a failed export leaves the run current (all slices done), and the
        // resume reminder comes back here and exports again. The log may so receive a run twice; its readers deduplicate.
        try
        {
            await mismatchLog.ExportAsync(report);
            // Queued (not delivered) before completing too: a failure retries with the export, under the same event ids.
            await Task.WhenAll(ReconciliationWebhookEvents.For(report, now)
                .Select(e => GrainFactory.GetGrain<IAdvertiserWebhooksGrain>(e.AdvertiserId).PublishAsync(e)));
        }
        catch (Exception ex)
        {
            LogExportFailed(ex, _hour, report.RunId);
            run.State.Current = run.State.Current! with { LastError = $"Exporting the mismatches: {ex.Message}" };
            await run.WriteStateAsync();
            return;
        }

        run.State.Completed = [.. run.State.Completed.TakeLast(KeptReports - 1), report];
        run.State.Current = null;
        run.State.DoneSlices.Clear();
        await run.WriteStateAsync();
        await UnregisterResumeAsync();
        metrics.RunCompleted(now - report.StartedAt);
        LogCompleted(_hour, report.AdsChecked, report.EventsRecounted, report.MismatchCount, report.RowsRepaired, now - report.StartedAt);
    }

    private async Task UnregisterResumeAsync()
    {
        if (await this.GetReminder(ResumeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation of {Hour:O} started as run {RunId}")]
    private partial void LogStarted(DateTimeOffset hour, Guid runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation of {Hour:O} done: {Ads} ads, {Events} events recounted, {Mismatches} mismatches, {Repairs} rows repaired in {Duration}")]
    private partial void LogCompleted(DateTimeOffset hour, long ads, long events, long mismatches, long repairs, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation of {Hour:O}: slice {Slice} failed; it is retried")]
    private partial void LogSliceFailed(Exception ex, DateTimeOffset hour, int slice);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation of {Hour:O}: exporting the mismatches of run {RunId} or queueing their webhook events failed; the run stays unfinished and both are retried")]
    private partial void LogExportFailed(Exception ex, DateTimeOffset hour, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation of {Hour:O} was interrupted; it resumes with the slices not done")]
    private partial void LogInterrupted(Exception ex, DateTimeOffset hour);
}
