using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orleans.AdClicks.Ads;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Models;
using Orleans.AdClicks.Storage.Aggregates;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Ads;

/// <summary>A counting grain whose aggregate store's backlog is full keeps its rows, quietly, and writes them once the store takes them.</summary>
public sealed class AdCountingBacklogTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly FakeLogCollector _logs = new();
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await AdClicksTestCluster.DeployAsync(
            new Dictionary<string, string?> { ["AdClicks:DataDirectory"] = _data.Path }, silos: 1,
            configureSilo: silo =>
            {
                BacklogWriter.Decorate(silo.Services);
                silo.Services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(_logs));
            });
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Flush_BacklogFull_RowsKeptDirtyWithoutAnErrorAndWrittenOnceAccepted()
    {
        var services = _cluster.Silos[0].ServiceProvider;
        var writer = services.GetRequiredService<BacklogWriter>();
        var ad = (await _cluster.Client.CreateAdsAsync(1))[0];
        var minute = MinuteBucket.Of(services.GetRequiredService<TimeProvider>().GetUtcNow());
        writer.Full = true;

        await _cluster.Client.PublishAsync(Clicks(ad, minute, 3));
        await Eventually.MatchesAsync(() => Task.FromResult(writer.Refused), refused => refused >= 3);

        Assert.Equal(0, await ClicksAsync(ad, minute));
        var loud = _logs.GetSnapshot().Where(r => r.Category == typeof(AdGrain).FullName && (r.Level >= LogLevel.Warning || r.Exception is not null));
        Assert.Empty(loud.Select(r => $"{r.Level}: {r.Message} {r.Exception?.GetType().Name}"));

        writer.Full = false;

        await Eventually.MatchesAsync(() => ClicksAsync(ad, minute), clicks => clicks == 3);
    }

    private async Task<long> ClicksAsync(AdInfo ad, DateTimeOffset minute) =>
        (await _cluster.Silos[0].ServiceProvider.GetRequiredService<IAggregateQueries>()
            .QuerySeriesAsync(SeriesScope.Ad(ad.Id), minute, minute.AddMinutes(1), Granularity.Minute)).Sum(b => b.Clicks);

    private static List<AdEvent> Clicks(AdInfo ad, DateTimeOffset minute, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new AdEvent(
            AdEventKind.Click, Guid.NewGuid(), ad.Id, ad.CampaignId, minute.AddSeconds(i), minute.AddHours(-1), minute.AddHours(20), true, null, null))];

    /// <summary>The silo's real minute-count writer, refusing every write as a full backlog while <see cref="Full"/> is set.</summary>
    private sealed class BacklogWriter(IMinuteCountWriter inner) : IMinuteCountWriter
    {
        private volatile bool _full;
        private int _refused;

        public bool Full { get => _full; set => _full = value; }

        /// <summary>Writes refused while full.</summary>
        public int Refused => Volatile.Read(ref _refused);

        public Task WriteAsync(IReadOnlyList<MinuteCountRow> rows, CancellationToken cancellationToken = default)
        {
            if (_full)
            {
                Interlocked.Increment(ref _refused);
                throw new AggregateBacklogFullException($"{rows.Count} rows refused: the backlog is full (a test's store).");
            }

            return inner.WriteAsync(rows, cancellationToken);
        }

        public static void Decorate(IServiceCollection services)
        {
            var registered = services.Last(d => d.ServiceType == typeof(IMinuteCountWriter));
            services.Remove(registered);
            services.AddSingleton(sp => new BacklogWriter(
                registered.ImplementationInstance as IMinuteCountWriter
                ?? (IMinuteCountWriter?)registered.ImplementationFactory?.Invoke(sp)
                ?? (IMinuteCountWriter)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)));
            services.AddSingleton<IMinuteCountWriter>(sp => sp.GetRequiredService<BacklogWriter>());
        }
    }
}
