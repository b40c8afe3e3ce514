using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orleans.AdClicks.Hosting;

/// <summary>
/// Refuses to start a silo whose aggregates are embedded while a silo of another OS process is active in its cluster:
/// each silo process writes its own DuckDB file, so the analytics of either would count only the ads it hosted.
/// Silos of this process share one database and do not count (<see cref="ProcessSilos"/>). Only a cluster on shared
/// membership (Azure Storage) is checked: localhost clustering is one process's cluster.
/// </summary>
/// <remarks>
/// Checked twice. Before this silo becomes active, after Orleans validated that it reaches every active silo (so an
/// entry of a silo killed hard has been declared dead, or the join failed): refusing there, the silo never hosts a
/// grain or pulls a queue. That check waits a bounded time for an active entry to go dead, in case a silo died since.
/// Once active, again: two processes that joined at the same moment saw each other only as joining, and each reads the
/// membership table after its own write, so the later one sees the other. Both may refuse then; the message says so.
/// </remarks>
internal sealed partial class EmbeddedAggregatesProcessCheck(
    AdClicksSettings settings,
    ILocalSiloDetails localSilo,
    IClusterMembershipService membership,
    IOptions<ClusterMembershipOptions> membershipOptions,
    [FromKeyedServices(TimeProviderNames.Membership)] TimeProvider time,
    ILogger<EmbeddedAggregatesProcessCheck> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>True when this check applies: DuckDB aggregates in a cluster that several processes can join.</summary>
    public static bool Applies(AdClicksSettings settings) =>
        settings.Backends.Aggregates == Backend.Embedded && settings.Backends.Cluster != Backend.Embedded;

    /// <summary>
    /// How long the check before becoming active waits for another process's active silo to be declared dead: the
    /// probes of the cluster suspect a silo after <see cref="ClusterMembershipOptions.NumMissedProbesLimit"/> missed
    /// probes of <see cref="ClusterMembershipOptions.ProbeTimeout"/> each, and one more period writes and reads the vote.
    /// </summary>
    public static TimeSpan Patience(ClusterMembershipOptions options) => options.ProbeTimeout * (options.NumMissedProbesLimit + 1);

    public void Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(
            nameof(EmbeddedAggregatesProcessCheck),
            ServiceLifecycleStage.First,
            _ =>
            {
                ProcessSilos.Add(localSilo.SiloAddress);
                return Task.CompletedTask;
            },
            _ =>
            {
                ProcessSilos.Remove(localSilo.SiloAddress);
                return Task.CompletedTask;
            });

        if (!Applies(settings))
        {
            return;
        }

        lifecycle.Subscribe(
            nameof(EmbeddedAggregatesProcessCheck),
            ServiceLifecycleStage.ValidateInitialConnectivity + 1,
            ct => RefuseBesideOtherProcessAsync(Patience(membershipOptions.Value), ct));
        lifecycle.Subscribe(
            nameof(EmbeddedAggregatesProcessCheck),
            ServiceLifecycleStage.Active,
            ct => RefuseBesideOtherProcessAsync(TimeSpan.Zero, ct));
    }

    private async Task RefuseBesideOtherProcessAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        var others = await OtherProcessSilosAsync(cancellationToken);
        if (others.Count == 0)
        {
            return;
        }

        if (patience > TimeSpan.Zero)
        {
            LogWaiting(patience, string.Join(", ", others));
            var deadline = time.GetUtcNow() + patience;
            var poll = membershipOptions.Value.ProbeTimeout;
            while (others.Count > 0 && time.GetUtcNow() < deadline)
            {
                await Task.Delay(poll, time, cancellationToken);
                others = await OtherProcessSilosAsync(cancellationToken);
            }

            if (others.Count == 0)
            {
                return;
            }
        }

        var message = RefusalMessage(string.Join(", ", others));
        LogRefused(message);
        throw new InvalidOperationException(message);
    }

    private static string RefusalMessage(string otherSilos) =>
        $"This silo process refuses to start: {AdClicksBackends.Key(nameof(AdClicksBackends.Aggregates))} is Embedded and a silo of another process "
        + $"is active in the cluster ({otherSilos}). Each silo process keeps its own DuckDB aggregate file, so analytics would count only part "
        + "of the cluster. Set ConnectionStrings:Kusto to keep the aggregates in Azure Data Explorer for several silo processes, or run one "
        + "silo process. Two processes started at the same moment may both refuse: start them again one at a time.";

    private async Task<List<SiloAddress>> OtherProcessSilosAsync(CancellationToken cancellationToken)
    {
        // The table, not this silo's last view of it: a silo that became active a moment ago is in it.
        await membership.Refresh(default, cancellationToken);
        return [.. membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !ProcessSilos.Contains(m.SiloAddress))
            .Select(m => m.SiloAddress)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Aggregates are embedded and silos of another process are active ({Silos}); waiting up to {Patience} for them to be declared dead before refusing to start.")]
    private partial void LogWaiting(TimeSpan patience, string silos);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Refusal}")]
    private partial void LogRefused(string refusal);
}
