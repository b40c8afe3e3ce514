using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Storage.RawClicks;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Storage.RawClicks;

/// <summary>The embedded store's memory stays bounded by retention, and it says ready only once replayed.</summary>
public sealed class EmbeddedRawClickStoreRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(3);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly AdKey _key = new(Guid.NewGuid(), 0);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Prune_TalliesAndHourIndexPastRetention_Dropped()
    {
        await using var store = Open();
        await store.AppendNewAsync(_key, [Click(Start)], Cancellation);
        _time.Advance(Retention - TimeSpan.FromHours(2));
        var recent = Click(_time.GetUtcNow());
        await store.AppendNewAsync(_key, [recent], Cancellation);
        var heldBefore = store.Held;

        // The hourly prune, a little over retention after the first click's minute.
        _time.Advance(TimeSpan.FromHours(3));
        var old = await store.CountAsync(_key, Start, Start.AddMinutes(1), Cancellation);
        var oldHour = await store.ListActiveAdsAsync(Start, AdSlice.Of(_key.AdId), Cancellation);
        var kept = await store.CountAsync(_key, recent.Minute, recent.Minute.AddMinutes(1), Cancellation);

        Assert.Equal((1, 2), heldBefore);
        Assert.Empty(old);
        Assert.Empty(oldHour);
        Assert.Equal([new MinuteTally(recent.Minute, 1, 0)], kept);
        Assert.Equal((1, 1), store.Held);
    }

    [Fact]
    public async Task Open_EventsPastRetention_NotTalliedByReplay()
    {
        await using (var store = Open())
        {
            await store.AppendNewAsync(_key, [Click(Start)], Cancellation);
        }

        _time.Advance(Retention + TimeSpan.FromMinutes(2));
        await using var reopened = Open();
        var old = await reopened.CountAsync(_key, Start, Start.AddMinutes(1), Cancellation);

        Assert.Empty(old);
        Assert.Equal((0, 0), reopened.Held);
    }

    [Fact]
    public async Task ReadyCheck_SlowReplay_UnhealthyUntilReplayed()
    {
        await using (var store = Open())
        {
            await store.AppendNewAsync(_key, [Click(Start)], Cancellation);
        }

        var replay = new TaskCompletionSource();
        await using var reopened = EmbeddedRawClickStore.Open(_directory.Path, Retention, _time, NullLogger<EmbeddedRawClickStore>.Instance, null, null, replay.Task);
        var check = new RawClickStoreReadyCheck(reopened);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("raw-clicks", check, HealthStatus.Unhealthy, ["ready"]) };

        var during = await check.CheckHealthAsync(context, Cancellation);
        var count = reopened.CountAsync(_key, Start, Start.AddMinutes(1), Cancellation);
        var answeredDuring = count.IsCompleted;
        replay.SetResult();
        await reopened.Loaded.WaitAsync(Cancellation);
        var after = await check.CheckHealthAsync(context, Cancellation);

        Assert.Equal(HealthStatus.Unhealthy, during.Status);
        Assert.False(answeredDuring);
        Assert.Equal([new MinuteTally(Start, 1, 0)], await count);
        Assert.Equal(HealthStatus.Healthy, after.Status);
    }

    [Fact]
    public async Task AddEmbeddedRawClickStore_HostStarted_ReadyAndTimedOnTheRawClicksMeter()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(_time)
            .AddEmbeddedRawClickStore(_directory.Path, Retention)
            .BuildServiceProvider();
        await using var _ = services;
        var durations = new List<(string Operation, string Store)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RawClickMetrics.MeterName && instrument.Meter.Scope == services.GetRequiredService<IMeterFactory>())
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            var tag = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            lock (durations)
            {
                durations.Add(((string)tag["operation"]!, (string)tag["store"]!));
            }
        });
        listener.Start();

        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(Cancellation);
        }

        var health = services.GetRequiredService<HealthCheckService>();
        var ready = await Eventually.MatchesAsync(() => health.CheckHealthAsync(r => r.Tags.Contains("ready"), Cancellation), r => r.Status == HealthStatus.Healthy);
        var store = services.GetRequiredService<IRawClickStore>();
        await store.AppendNewAsync(_key, [Click(Start)], Cancellation);
        await store.CountAsync(_key, Start, Start.AddMinutes(1), Cancellation);

        Assert.Contains("raw-clicks", ready.Entries.Keys);
        Assert.Equal([("append", "embedded"), ("count", "embedded")], durations);
    }

    [Fact]
    public async Task AddAdClicks_EmbeddedSilo_ReadyCheckNamesTheRawClickStore()
    {
        await using var cluster = await AdClicksTestCluster.DeployAsync(new Dictionary<string, string?> { ["AdClicks:DataDirectory"] = _directory.Path }, silos: 1);
        var health = cluster.Silos[0].ServiceProvider.GetRequiredService<HealthCheckService>();

        var ready = await Eventually.MatchesAsync(() => health.CheckHealthAsync(r => r.Tags.Contains("ready"), Cancellation), r => r.Status == HealthStatus.Healthy);

        Assert.Contains("raw-clicks", ready.Entries.Keys);
    }

    private EmbeddedRawClickStore Open() =>
        EmbeddedRawClickStore.Open(_directory.Path, Retention, _time, NullLogger<EmbeddedRawClickStore>.Instance);

    private AdEvent Click(DateTimeOffset at) =>
        new(AdEventKind.Click, Guid.NewGuid(), _key.AdId, Guid.NewGuid(), at, at.AddMinutes(-1), at.AddHours(1), true, "Mozilla/5.0", "203.0.113.0");
}
