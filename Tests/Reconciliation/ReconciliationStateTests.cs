using Microsoft.Extensions.DependencyInjection;
using Orleans.AdClicks.Events;
using Orleans.AdClicks.Reconciliation;
using Orleans.AdClicks.Tests.Infrastructure;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Orleans.AdClicks.Tests.Reconciliation;

/// <summary>The reconciliation's grain state survives the grain storage serializer the silo is configured with.</summary>
public sealed class ReconciliationStateTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private InProcessTestCluster _cluster = null!;

    public async ValueTask InitializeAsync() =>
        _cluster = await AdClicksTestCluster.DeployAsync(new Dictionary<string, string?> { ["AdClicks:DataDirectory"] = _data.Path }, silos: 1);

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public void RunState_WithReportsAndMismatches_RoundTrips()
    {
        var serializer = _cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();
        var hour = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
        var mismatch = new ReconciliationMismatch(Guid.NewGuid(), 1, Guid.NewGuid(), Guid.NewGuid(), hour.AddMinutes(3), AdEventKind.Click, 5, 3);
        var done = ReconciliationReport.Start(hour, hour.AddHours(2)).Add(new SliceReconciliation(7, 2, 40, [mismatch], 1)) with { CompletedAt = hour.AddHours(2.1) };
        var state = new ReconciliationRunState
        {
            Completed = [done],
            Current = ReconciliationReport.Start(hour, hour.AddHours(3)).Add(new SliceReconciliation(8, 1, 9, [], 0)) with { LastError = "Slice 09: down" },
            DoneSlices = [8],
        };

        var back = serializer.Deserialize<ReconciliationRunState>(serializer.Serialize(state))!;

        Assert.Equal(state.Completed[0] with { Mismatches = [] }, back.Completed[0] with { Mismatches = [] });
        Assert.Equal([mismatch], back.Completed[0].Mismatches);
        Assert.Equal(state.Current! with { Mismatches = [] }, back.Current! with { Mismatches = [] });
        Assert.Equal([8], back.DoneSlices);
    }

    [Fact]
    public void ScheduleState_RoundTrips()
    {
        var serializer = _cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();
        var hour = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
        var state = new ReconciliationGrainState { LastScheduledHour = hour, Hours = [hour.AddHours(-1), hour] };

        var back = serializer.Deserialize<ReconciliationGrainState>(serializer.Serialize(state))!;

        Assert.Equal(hour, back.LastScheduledHour);
        Assert.Equal(state.Hours, back.Hours);
    }

    [Fact]
    public void State_WrittenAsJsonBeforeOrleansFormat_StillReads()
    {
        var services = _cluster.Silos[0].ServiceProvider;
        var json = new JsonGrainStorageSerializer(services.GetRequiredService<OrleansJsonSerializer>());
        var hour = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
        var state = new ReconciliationGrainState { LastScheduledHour = hour, Hours = [hour] };

        var back = services.GetRequiredService<IGrainStorageSerializer>().Deserialize<ReconciliationGrainState>(json.Serialize(state))!;

        Assert.Equal(hour, back.LastScheduledHour);
        Assert.Equal(state.Hours, back.Hours);
    }
}
