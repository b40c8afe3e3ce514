using DuckDB.NET.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Orleans.AdClicks.Storage.Aggregates;

namespace Orleans.AdClicks.Tests.Storage.Aggregates;

/// <summary>When the writer commits: at once after a quiet spell, otherwise once per commit interval for every write behind it.</summary>
public sealed class DuckDbMinuteCountWriterTests : IAsyncDisposable
{
    private static readonly TimeSpan CommitInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid AdId = Guid.NewGuid();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "adclicks-writer-" + Guid.NewGuid().ToString("N"));
    private readonly FakeLogger _logger = new();
    private readonly TimerWatchingTimeProvider _time = new();
    private DuckDBConnection? _connection;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string StorePath => Path.Combine(_directory, "aggregates.duckdb");

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task WriteAsync_SoonAfterACommit_WaitsOutTheIntervalAndCommitsTheWritesBehindItTogether()
    {
        await using var writer = await OpenAsync();
        await writer.WriteAsync([Row(minute: 0)], Ct);

        var second = writer.WriteAsync([Row(minute: 1)], Ct);
        await _time.TimerCreated.WaitAsync(TestTimeout, Ct);
        var third = writer.WriteAsync([Row(minute: 2), Row(minute: 3)], Ct);
        Assert.False(second.IsCompleted);
        _time.Advance(CommitInterval);
        await Task.WhenAll(second, third).WaitAsync(TestTimeout, Ct);

        Assert.Equal([(1, 1), (3, 2)], Commits());
        Assert.Equal(4L, await CountRowsAsync());
    }

    [Fact]
    public async Task WriteAsync_AfterTheIntervalPassed_CommitsAtOnce()
    {
        await using var writer = await OpenAsync();
        await writer.WriteAsync([Row(minute: 0)], Ct);
        _time.Advance(CommitInterval);

        await writer.WriteAsync([Row(minute: 1)], Ct).WaitAsync(TestTimeout, Ct);

        Assert.Equal([(1, 1), (1, 1)], Commits());
        Assert.False(_time.TimerCreated.IsCompleted);
    }

    [Fact]
    public async Task DisposeAsync_WhileAWriteWaitsOutTheInterval_CommitsItWithoutWaiting()
    {
        var writer = await OpenAsync();
        await writer.WriteAsync([Row(minute: 0)], Ct);
        var waiting = writer.WriteAsync([Row(minute: 1)], Ct);
        await _time.TimerCreated.WaitAsync(TestTimeout, Ct);

        await writer.DisposeAsync().AsTask().WaitAsync(TestTimeout, Ct);

        await waiting;
        Assert.Equal([(1, 1), (1, 1)], Commits());
        Assert.Equal(2L, await CountRowsAsync());
    }

    private async Task<DuckDbMinuteCountWriter> OpenAsync()
    {
        // The store makes the schema; the writer under test gets a connection of its own to the file.
        await (await Task.Run(() => DuckDbAggregateStore.Open(StorePath, NullLogger<DuckDbAggregateStore>.Instance), Ct)).DisposeAsync();
        _connection = new DuckDBConnection(new DuckDBConnectionStringBuilder { DataSource = StorePath }.ConnectionString);
        await _connection.OpenAsync(Ct);
        return new DuckDbMinuteCountWriter(_connection, CommitInterval, _time, _logger);
    }

    private async Task<long> CountRowsAsync()
    {
        await using var connection = new DuckDBConnection(new DuckDBConnectionStringBuilder { DataSource = StorePath }.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM minute_counts";
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>(rows, writes) of each commit, from the writer's own log line.</summary>
    private List<(int Rows, int Writes)> Commits() =>
        [.. _logger.Collector.GetSnapshot()
            .Where(r => r.Message.StartsWith("Committed ", StringComparison.Ordinal))
            .Select(r => (int.Parse(r.GetStructuredStateValue("RowCount")!, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(r.GetStructuredStateValue("WriteCount")!, System.Globalization.CultureInfo.InvariantCulture)))];

    private static MinuteCountRow Row(int minute) =>
        new(AdId, 0, Guid.Empty, Guid.Empty, T0.AddMinutes(minute), 1, 1, 1);

    /// <summary>Fake time that says when the writer first starts waiting on it.</summary>
    private sealed class TimerWatchingTimeProvider : FakeTimeProvider
    {
        private readonly TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task TimerCreated => _timerCreated.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timerCreated.TrySetResult();
            return timer;
        }
    }
}
