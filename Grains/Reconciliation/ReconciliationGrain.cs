using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Events;

namespace Orleans.AdClicks.Reconciliation;

/// <summary>
/// The hourly reconciliation. Its reminder fires every <see cref="ReconciliationOptions.Period"/>, a little
/// after the hour so that <see cref="ReconciliationOptions.AllowedLateness"/> has passed, and starts a run for
/// every hour that closed since the last tick (at most <see cref="ReconciliationOptions.CatchUpHours"/>).
/// It keeps the list of hours with runs, which the reports API reads.
/// </summary>
public sealed partial class ReconciliationGrain(
    [PersistentState("reconciliation", Constants.GrainStore)] IPersistentState<ReconciliationGrainState> state,
    IOptions<ReconciliationOptions> options,
    TimeProvider time,
    ILogger<ReconciliationGrain> logger)
    : Grain, IReconciliationGrain, IRemindable
{
    private const string HourlyReminder = "hourly";

    // Hours listed for reports; the raw events behind older ones are gone anyway.
    private static readonly TimeSpan KeepHoursFor = TimeSpan.FromDays(90);

    public async Task EnsureScheduledAsync()
    {
        var period = options.Value.Period;
        var now = time.GetUtcNow();

        // The first tick lands just after the lateness margin of a period boundary, not at a random offset.
        var sincePeriod = TimeSpan.FromTicks((now.UtcTicks - options.Value.AllowedLateness.Ticks) % period.Ticks);
        await this.RegisterOrUpdateReminder(HourlyReminder, period - sincePeriod, period);
    }

    public async Task<ReconciliationReport> RunNowAsync(DateTimeOffset hour)
    {
        if (!MinuteBucket.IsHourStart(hour) || hour.AddHours(1) > time.GetUtcNow())
        {
            throw new ArgumentException($"{hour:O} is not the start of a UTC hour that has ended.", nameof(hour));
        }

        await RecordAsync([hour]);
        return await RunGrain(hour).RunAsync();
    }

    public Task<IReadOnlyList<DateTimeOffset>> ListHoursAsync(DateTimeOffset from, DateTimeOffset to) =>
        Task.FromResult<IReadOnlyList<DateTimeOffset>>(from >= to ? [] : [.. state.State.Hours.GetViewBetween(from, to).Where(h => h < to)]);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var latest = MinuteBucket.Truncate(time.GetUtcNow() - options.Value.AllowedLateness, Granularity.Hour).AddHours(-1);
        var first = state.State.LastScheduledHour?.AddHours(1) ?? latest;
        var catchUpFrom = latest.AddHours(1 - options.Value.CatchUpHours);
        if (first < catchUpFrom)
        {
            LogSkipped(first, catchUpFrom);
            first = catchUpFrom;
        }

        var hours = new List<DateTimeOffset>();
        for (var hour = first; hour <= latest; hour = hour.AddHours(1))
        {
            hours.Add(hour);
        }

        if (hours.Count == 0)
        {
            return;
        }

        // Runs start before the tick is recorded: if one fails to start, the next tick starts them all again
        // (a started one resumes, a finished one runs once more), and no hour is skipped.
        foreach (var hour in hours)
        {
            await RunGrain(hour).RunAsync();
        }

        await RecordAsync(hours, latest);
    }

    private async Task RecordAsync(IReadOnlyList<DateTimeOffset> hours, DateTimeOffset? lastScheduled = null)
    {
        state.State.Hours.UnionWith(hours);
        state.State.Hours.RemoveWhere(h => h < time.GetUtcNow() - KeepHoursFor);
        state.State.LastScheduledHour = lastScheduled ?? state.State.LastScheduledHour;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The state in memory is ahead of storage now; the next activation reads storage again.
            DeactivateOnIdle();
            throw;
        }
    }

    private IReconciliationRunGrain RunGrain(DateTimeOffset hour) => GrainFactory.GetGrain<IReconciliationRunGrain>(ReconciliationHour.Key(hour));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation was not run for the hours from {First:O} to before {CatchUpFrom:O}: more than the catch-up limit was missed")]
    private partial void LogSkipped(DateTimeOffset first, DateTimeOffset catchUpFrom);
}
